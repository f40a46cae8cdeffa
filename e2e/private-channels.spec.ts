import { expect, test } from "@playwright/test";
import { newPerson, openChat, signUpAndSignIn, storedMessage, uniqueChannelName } from "./support/chat";
import { choosePeople, composerOf, conversationLink, detailsPanel, heading, sendIn } from "./support/conversations";

test("a private channel: its creator adds and removes someone live; no one else sees it", async ({ browser }) => {
  const ava = newPerson("Ava Akers");
  const bo = newPerson("Bo Bishop");
  const cal = newPerson("Cal Cobb");
  const [contextA, contextB, contextC] = await Promise.all([1, 2, 3].map(() => browser.newContext()));
  await signUpAndSignIn(contextA!, ava);
  await signUpAndSignIn(contextB!, bo);
  await signUpAndSignIn(contextC!, cal);
  const [a, b, c] = await Promise.all([contextA!, contextB!, contextC!].map((context) => context.newPage()));
  for (const page of [a!, b!, c!]) await openChat(page, "/");
  const channel = uniqueChannelName("secret");

  await test.step("Ava creates it with Make private", async () => {
    await a!.getByRole("button", { name: "Create channel" }).click();
    const dialog = a!.getByRole("dialog", { name: "Create a channel" });
    await dialog.getByRole("textbox", { name: "Name", exact: true }).fill(channel);
    await dialog.getByRole("checkbox", { name: "Make private" }).check();
    await dialog.getByRole("button", { name: "Create" }).click();
    await expect(heading(a!, channel)).toBeVisible();
    await expect(conversationLink(a!, channel)).toHaveAccessibleDescription("Private channel");
    await sendIn(a!, channel, "Only for the two of us");
  });

  await test.step("Ava adds Bo from the details panel; Bo sees it appear live", async () => {
    await a!.getByRole("button", { name: "Channel details" }).click();
    const panel = detailsPanel(a!);
    await expect(panel.getByRole("heading", { name: channel })).toBeVisible();
    await panel.getByRole("button", { name: "Add people" }).click();
    const dialog = a!.getByRole("dialog", { name: `Add people to #${channel}` });
    await choosePeople(dialog, [bo]);
    await dialog.getByRole("button", { name: "Add", exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(panel.getByRole("listitem").filter({ hasText: bo.name })).toBeVisible();

    await expect(conversationLink(b!, channel)).toBeVisible();
    await conversationLink(b!, channel).click();
    await expect(heading(b!, channel)).toBeVisible();
    await expect(storedMessage(b!, "Only for the two of us")).toBeVisible();
    await expect(composerOf(b!, channel)).toBeVisible();
  });

  await test.step("Cal, not a member, does not find it in Browse channels", async () => {
    await c!.getByRole("button", { name: "Browse channels" }).click();
    const dialog = c!.getByRole("dialog", { name: "Browse channels" });
    await expect(dialog.getByRole("listitem").first()).toBeVisible();
    await expect(dialog.getByText(channel)).toHaveCount(0);
    await c!.keyboard.press("Escape");
    await expect(conversationLink(c!, channel)).toHaveCount(0);
  });

  await test.step("Ava removes Bo: his sidebar loses it live and his open view says he has no access", async () => {
    await detailsPanel(a!)
      .getByRole("button", { name: `Remove ${bo.name}` })
      .click();
    await expect(detailsPanel(a!).getByRole("listitem").filter({ hasText: bo.name })).toHaveCount(0);
    await expect(conversationLink(b!, channel)).toHaveCount(0);
    await expect(b!.getByRole("heading", { level: 1 })).toHaveText(`You are no longer in #${channel}`);
    await expect(storedMessage(b!, "Only for the two of us")).toHaveCount(0);
  });

  await Promise.all([contextA!, contextB!, contextC!].map((context) => context.close()));
});
