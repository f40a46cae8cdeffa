import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import {
  composer,
  createChannel,
  joinChannel,
  newPerson,
  openChat,
  signUpAndSignIn,
  storedMessage,
  uniqueChannelName,
} from "./support/chat";
import { conversationLink, heading } from "./support/conversations";

test("Alice mentions Bo: Bo sees it highlighted and counted live, and reading clears the count", async ({
  browser,
}) => {
  const alice = newPerson("Alice Aalto");
  const bo = newPerson("Bo Brightwater");
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  await signUpAndSignIn(contextA, alice);
  await signUpAndSignIn(contextB, bo);
  const channel = uniqueChannelName("mentions");
  const id = await createChannel(contextA.request, channel);
  await joinChannel(contextB.request, id);
  const a = await contextA.newPage();
  const b = await contextB.newPage();
  await openChat(a, `/c/${id}`);
  await openChat(b, "/");
  await expect(conversationLink(b, channel)).toBeVisible();

  await test.step("typing @ offers the channel's members first; choosing inserts the name", async () => {
    const box = composer(a, channel);
    await box.click();
    await box.pressSequentially("Lunch, @Brigh");
    const list = a.getByRole("listbox", { name: "People to mention" });
    await expect(list).toBeVisible();
    await expect(box).toHaveAttribute("aria-expanded", "true");
    await expect(list.getByRole("option").first()).toHaveAccessibleName("Bo Brightwater");
    const violations = (await new AxeBuilder({ page: a }).include("form").analyze()).violations.filter(
      (v) => v.impact === "serious" || v.impact === "critical",
    );
    expect(violations.map((v) => v.id)).toEqual([]);
    await box.press("Tab");
    await expect(list).toBeHidden();
    await expect(box).toHaveValue("Lunch, @Bo Brightwater ");
    await box.pressSequentially("at noon?");
    await box.press("Enter");
    await expect(box).toHaveValue("");
  });

  await test.step("Alice's message names Bo as a chip, untinted for her", async () => {
    const sent = storedMessage(a, "at noon?");
    await expect(sent.getByText("@Bo Brightwater")).toBeVisible();
    await expect(sent).not.toHaveAttribute("data-mentions-me");
  });

  await test.step("Bo's sidebar counts the mention live, on the channel and on Mentions", async () => {
    await expect(conversationLink(b, channel)).toHaveAccessibleDescription("1 mention, Unread");
    await expect(conversationLink(b, "Mentions")).toHaveAccessibleDescription("1 unread mention");
  });

  await test.step("Bo opens the channel: the message and its chip are tinted, and the count clears", async () => {
    await conversationLink(b, channel).click();
    await expect(heading(b, `#${channel}`)).toBeVisible();
    const message = storedMessage(b, "at noon?");
    await expect(message).toHaveAttribute("data-mentions-me", "true");
    await expect(message.locator(`[data-mention="user"][data-mentions-me]`)).toHaveText("@Bo Brightwater");
    await expect(message).toHaveCSS("background-color", "rgb(255, 248, 219)");
    await b.emulateMedia({ colorScheme: "dark" });
    await expect(message).toHaveCSS("background-color", "rgb(47, 42, 26)");
    await b.emulateMedia({ colorScheme: "light" });
    await expect(conversationLink(b, channel)).toHaveAccessibleDescription("");
    await expect(conversationLink(b, "Mentions")).toHaveAccessibleDescription("");
  });

  await test.step("the Mentions view lists it, and leads to its conversation", async () => {
    await conversationLink(b, "Mentions").click();
    await expect(heading(b, "Mentions")).toBeVisible();
    const item = b.getByRole("listitem").filter({ hasText: "at noon?" });
    await expect(item).toContainText("Alice Aalto");
    const violations = (await new AxeBuilder({ page: b }).analyze()).violations.filter(
      (v) => v.impact === "serious" || v.impact === "critical",
    );
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    await item.getByRole("link", { name: `#${channel}` }).click();
    await expect(heading(b, `#${channel}`)).toBeVisible();
  });

  await contextA.close();
  await contextB.close();
});

test("Alice edits a message that mentions Bo: she sees Bo's name, and a person she adds is mentioned", async ({
  browser,
}) => {
  const alice = newPerson("Alice Aalto");
  const bo = newPerson("Bo Brightwater");
  const cy = newPerson("Cy Cobalt");
  const contexts = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
  const [contextA, contextB, contextC] = contexts as [(typeof contexts)[0], (typeof contexts)[0], (typeof contexts)[0]];
  await signUpAndSignIn(contextA, alice);
  await signUpAndSignIn(contextB, bo);
  await signUpAndSignIn(contextC, cy);
  const channel = uniqueChannelName("edit-mentions");
  const id = await createChannel(contextA.request, channel);
  await joinChannel(contextB.request, id);
  await joinChannel(contextC.request, id);
  const a = await contextA.newPage();
  const c = await contextC.newPage();
  await openChat(a, `/c/${id}`);
  await openChat(c, "/");
  await expect(conversationLink(c, channel)).toBeVisible();

  const box = composer(a, channel);
  await box.click();
  await box.pressSequentially("@Brigh");
  await box.press("Tab");
  await box.pressSequentially("can you review?");
  await box.press("Enter");
  const sent = storedMessage(a, "can you review?");
  await expect(sent.getByText("@Bo Brightwater")).toBeVisible();

  await sent.hover();
  await sent.getByRole("button", { name: "Edit message" }).click();
  const editor = a.getByRole("combobox", { name: "Edit message" });
  await expect(editor).toHaveValue("@Bo Brightwater can you review?");
  await editor.press("End");
  await editor.pressSequentially(" and @Cob");
  await expect(a.getByRole("listbox", { name: "People to mention" }).getByRole("option").first()).toHaveAccessibleName(
    "Cy Cobalt",
  );
  await editor.press("Tab");
  await editor.press("Enter");
  await expect(editor).toBeHidden();

  const edited = storedMessage(a, "can you review?");
  await expect(edited.locator('[data-mention="user"]')).toHaveText(["@Bo Brightwater", "@Cy Cobalt"]);
  await expect(conversationLink(c, channel)).toHaveAccessibleDescription("1 mention, Unread");

  for (const context of contexts) await context.close();
});
