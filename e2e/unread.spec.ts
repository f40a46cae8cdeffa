import { expect, test, type Page } from "@playwright/test";
import {
  createChannel,
  joinChannel,
  newPerson,
  openChat,
  postMessage,
  signIn,
  signUpAndSignIn,
  storedMessage,
  uniqueChannelName,
  WORKSPACE_NAME,
} from "./support/chat";
import { conversationLink, heading, openDirect, userId } from "./support/conversations";

const title = (prefix = "") => `${prefix}${WORKSPACE_NAME} | Parley`;

test("unread clears on every device of the reader, live and after a reload", async ({ browser }) => {
  const ada = newPerson("Ada Ames");
  const ben = newPerson("Ben Berg");
  const contextA = await browser.newContext();
  await signUpAndSignIn(contextA, ada);
  // Two devices of Ben: two browser contexts signed in as him.
  const benContexts = [await browser.newContext(), await browser.newContext()];
  await signUpAndSignIn(benContexts[0]!, ben);
  await signIn(benContexts[1]!.request, ben);
  const [first, second] = await Promise.all(benContexts.map((context) => context.newPage()));
  const pages = [first!, second!];
  for (const page of pages) await openChat(page, "/");

  const dm = await openDirect(contextA.request, [await userId(benContexts[0]!.request)]);
  await postMessage(contextA.request, dm, "Are you there?");

  await test.step("both of Ben's devices show the DM bold with a badge, and the count in the title", async () => {
    for (const page of pages) {
      const link = conversationLink(page, ada.name);
      await expect(link).toHaveAccessibleDescription("1 unread message");
      await expect(link).toHaveCSS("font-weight", "700");
      await expect(page).toHaveTitle(title("(1) "));
    }
  });

  await test.step("Ben reads it on the first; the second clears live and stays clear after a reload", async () => {
    await conversationLink(first!, ada.name).click();
    await expect(storedMessage(first!, "Are you there?")).toBeVisible();
    for (const page of pages) {
      await expect(conversationLink(page, ada.name)).toHaveAccessibleDescription("");
      await expect(conversationLink(page, ada.name)).not.toHaveCSS("font-weight", "700");
      await expect(page).toHaveTitle(title());
    }
    await second!.reload();
    await expect(heading(second!, "#general")).toBeVisible();
    await expect(conversationLink(second!, ada.name)).toBeVisible();
    await expect(conversationLink(second!, ada.name)).toHaveAccessibleDescription("");
    await expect(second!).toHaveTitle(title());
  });

  await test.step("an unread channel alone puts a star in the title", async () => {
    const channel = uniqueChannelName("news");
    const id = await createChannel(contextA.request, channel);
    await joinChannel(benContexts[0]!.request, id);
    await expect(conversationLink(first!, channel)).toBeVisible();
    await postMessage(contextA.request, id, "Channel news");
    await expect(conversationLink(first!, channel)).toHaveCSS("font-weight", "700");
    await expect(conversationLink(first!, channel)).toHaveAccessibleDescription("Unread");
    await expect(first!).toHaveTitle(title("* "));
  });

  await contextA.close();
  for (const context of benContexts) await context.close();
});

/** The message shown right after the "New messages" line. */
async function firstAfterLine(page: Page): Promise<string> {
  const line = page.getByRole("separator", { name: "New messages" });
  await expect(line).toHaveCount(1);
  return line.evaluate((el) => el.nextElementSibling?.querySelector("p")?.textContent ?? "");
}

test("a New messages line marks where the reader left off, and the banner jumps to it", async ({ browser }) => {
  const cleo = newPerson("Cleo Cole");
  const dan = newPerson("Dan Dale");
  const contextC = await browser.newContext();
  const contextD = await browser.newContext();
  await signUpAndSignIn(contextC, cleo);
  await signUpAndSignIn(contextD, dan);
  const channel = uniqueChannelName("line");
  const id = await createChannel(contextC.request, channel);
  await joinChannel(contextD.request, id);
  for (let i = 1; i <= 3; i++) await postMessage(contextC.request, id, `Before ${i}`);

  const page = await contextD.newPage();
  await openChat(page, `/c/${id}`);
  await expect(storedMessage(page, "Before 3")).toBeVisible();
  await expect(conversationLink(page, channel)).not.toHaveCSS("font-weight", "700");

  await test.step("messages that arrive while Dan is elsewhere come after the line", async () => {
    await conversationLink(page, "general").click();
    await expect(heading(page, "#general")).toBeVisible();
    await postMessage(contextC.request, id, "After 1");
    await postMessage(contextC.request, id, "After 2");
    await expect(conversationLink(page, channel)).toHaveCSS("font-weight", "700");
    await conversationLink(page, channel).click();
    await expect(storedMessage(page, "After 2")).toBeVisible();
    expect(await firstAfterLine(page)).toBe("After 1");
    // Read now, but the line stays while Dan stays.
    await expect(conversationLink(page, channel)).not.toHaveCSS("font-weight", "700");
    await expect(page.getByRole("separator", { name: "New messages" })).toHaveCount(1);
  });

  await test.step("many unread: a banner counts them, and Jump loads older pages and shows the first", async () => {
    await conversationLink(page, "general").click();
    await expect(heading(page, "#general")).toBeVisible();
    // More than a page of 50, so the first unread is not in the page the channel opens on.
    for (let i = 1; i <= 70; i++) await postMessage(contextC.request, id, `Later ${i}`);
    // Afresh, so the channel opens on its newest page only.
    await page.reload();
    await expect(heading(page, "#general")).toBeVisible();
    await conversationLink(page, channel).click();
    await expect(storedMessage(page, "Later 70")).toBeVisible();
    const banner = page.getByRole("status").filter({ hasText: "70 new messages" });
    await expect(banner).toBeVisible();
    // "Later 1" is message 6: three before, two after, then these.
    const firstLater = page.locator('article[data-seq="6"]');
    await expect(firstLater).toHaveCount(0);
    await banner.getByRole("button", { name: "Jump to first unread" }).click();
    await expect(firstLater).toBeInViewport();
    await expect(firstLater).toContainText("Later 1");
    expect(await firstAfterLine(page)).toBe("Later 1");
    await expect(banner).toBeHidden();
  });

  await contextC.close();
  await contextD.close();
});
