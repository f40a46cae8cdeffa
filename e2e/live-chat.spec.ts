import { expect, test, type Page } from "@playwright/test";
import {
  channelLink,
  composer,
  conversationTitle,
  createChannel,
  expectConnected,
  newPerson,
  openChat,
  pendingMessage,
  shownHistory,
  signUpAndSignIn,
  storedMessage,
  typeAndSend,
  uniqueChannelName,
  WORKSPACE_NAME,
  type Person,
} from "./support/chat";

/** Signs up through the form a later person sees ("Join <workspace>") and lands in #general. */
async function signUpThroughForm(page: Page, person: Person): Promise<void> {
  await page.goto("/signup");
  await expect(page.getByRole("heading", { name: `Join ${WORKSPACE_NAME}` })).toBeVisible();
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/c\/[0-9a-f-]{36}$/);
  await expectConnected(page);
  await expect(conversationTitle(page, "general")).toBeVisible();
  await expect(channelLink(page, "general")).toBeVisible();
}

test("two people sign up, meet in a new channel and chat live; both keep the same history", async ({ browser }) => {
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  const a = await contextA.newPage();
  const b = await contextB.newPage();
  const alice = newPerson("Alice");
  const bob = newPerson("Bob");
  const channel = uniqueChannelName("launch");

  await test.step("both sign up through the form and see #general", async () => {
    await signUpThroughForm(a, alice);
    await signUpThroughForm(b, bob);
  });

  await test.step("Alice creates a channel through the dialog", async () => {
    await a.getByRole("button", { name: "Create channel" }).click();
    const dialog = a.getByRole("dialog", { name: "Create a channel" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("textbox", { name: "Name", exact: true }).fill(channel);
    await dialog.getByRole("textbox", { name: "Topic" }).fill("Planning the launch");
    await dialog.getByRole("button", { name: "Create" }).click();
    await expect(dialog).toBeHidden();
    await expect(conversationTitle(a, channel)).toBeVisible();
    await expect(a.getByText("Planning the launch")).toBeVisible();
    await expect(channelLink(a, channel)).toHaveAttribute("aria-current", "page");
    await expect(a.getByText("No messages yet. Say hello!")).toBeVisible();
  });

  await test.step("Bob joins it through Browse channels", async () => {
    await expect(channelLink(b, channel)).toHaveCount(0);
    await b.getByRole("button", { name: "Browse channels" }).click();
    const dialog = b.getByRole("dialog", { name: "Browse channels" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: `Join #${channel}` }).click();
    await expect(dialog).toBeHidden();
    await expect(conversationTitle(b, channel)).toBeVisible();
    await expect(channelLink(b, channel)).toBeVisible();
    await expect(composer(b, channel)).toBeVisible();
  });

  await test.step("a message typed by Alice appears live for Bob, and one by Bob for Alice", async () => {
    await typeAndSend(a, channel, "Hi Bob, welcome aboard!");
    await expect(storedMessage(b, "Hi Bob, welcome aboard!")).toHaveCount(1);
    await expect(storedMessage(a, "Hi Bob, welcome aboard!")).toHaveCount(1);

    await typeAndSend(b, channel, "Thanks Alice, glad to be here.");
    await expect(storedMessage(a, "Thanks Alice, glad to be here.")).toHaveCount(1);
    await expect(storedMessage(b, "Thanks Alice, glad to be here.")).toHaveCount(1);
  });

  await test.step("Shift+Enter keeps a multi-line message as one message", async () => {
    const text = "Agenda:\nscope\ndates";
    await typeAndSend(a, channel, text);
    for (const page of [a, b]) {
      const message = storedMessage(page, "Agenda:");
      await expect(message).toHaveCount(1);
      await expect(message.locator("p")).toHaveJSProperty("textContent", text);
    }
    await expect(pendingMessage(a, "Agenda:")).toHaveCount(0);
  });

  await test.step("after a reload both see the same history in the same order", async () => {
    const expected: [number, string][] = [
      [1, "Hi Bob, welcome aboard!"],
      [2, "Thanks Alice, glad to be here."],
      [3, "Agenda:\nscope\ndates"],
    ];
    for (const page of [a, b]) {
      await page.reload();
      await expectConnected(page);
      await expect(conversationTitle(page, channel)).toBeVisible();
      await expect(page.locator("article[data-seq]")).toHaveCount(expected.length);
      expect(await shownHistory(page)).toEqual(expected);
      await expect(page.locator("article[data-pending]")).toHaveCount(0);
    }
  });

  await contextA.close();
  await contextB.close();
});

test("a message sent in one tab appears live in the sender's other tab", async ({ context }) => {
  const carol = newPerson("Carol");
  await signUpAndSignIn(context, carol);
  const channel = uniqueChannelName("tabs");
  const id = await createChannel(context.request, channel);

  const first = await context.newPage();
  const second = await context.newPage();
  await openChat(first, `/c/${id}`);
  await openChat(second, `/c/${id}`);
  await expect(conversationTitle(second, channel)).toBeVisible();

  await typeAndSend(first, channel, "Sent from the first tab");
  await expect(storedMessage(second, "Sent from the first tab")).toHaveCount(1);
  await expect(storedMessage(first, "Sent from the first tab")).toHaveCount(1);

  await typeAndSend(second, channel, "And this one from the second");
  await expect(storedMessage(first, "And this one from the second")).toHaveCount(1);
  for (const page of [first, second]) {
    await expect(page.locator("article[data-pending]")).toHaveCount(0);
    await expect(page.locator("article[data-seq]")).toHaveCount(2);
  }
});
