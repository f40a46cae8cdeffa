import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import {
  createChannel,
  expectConnected,
  joinChannel,
  messageLog,
  newPerson,
  openChat,
  postMessage,
  signIn,
  signUpAndSignIn,
  typeAndSend,
  uniqueChannelName,
} from "./support/chat";
import { conversationLink, heading, userId } from "./support/conversations";
import { socketSwitch } from "./support/socket-switch";

/** A message of the channel's own list (the thread panel shows its root too). */
const storedMessage = (page: Page, text: string) =>
  messageLog(page).locator("article[data-seq]").filter({ hasText: text });
const threadPanel = (page: Page) => page.getByRole("complementary", { name: /^Thread/ });

/** Opens the thread of a message of the channel from the message's toolbar. */
async function openThreadOf(page: Page, text: string): Promise<void> {
  const message = storedMessage(page, text);
  await message.hover();
  await message
    .getByRole("toolbar", { name: "Message actions" })
    .getByRole("button", { name: "Reply in thread" })
    .click();
  await expect(threadPanel(page)).toBeVisible();
}

const replies = (page: Page) => threadPanel(page).getByRole("list", { name: "Replies" });

async function replyInPanel(page: Page, text: string): Promise<void> {
  const box = threadPanel(page).getByRole("combobox", { name: "Reply in thread" });
  await box.fill(text);
  await box.press("Enter");
  await expect(threadPanel(page).getByRole("list", { name: "Replies" }).getByText(text)).toBeVisible();
}

test("a reply in a thread shows live to another person with the message's reply count", async ({ browser }) => {
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  await signUpAndSignIn(contextA, newPerson("Alice"));
  await signUpAndSignIn(contextB, newPerson("Bob"));
  const channel = uniqueChannelName("thread");
  const id = await createChannel(contextA.request, channel);
  await joinChannel(contextB.request, id);
  const a = await contextA.newPage();
  const b = await contextB.newPage();
  await openChat(a, `/c/${id}`);
  await openChat(b, `/c/${id}`);
  await typeAndSend(a, channel, "Lunch on Friday?");
  await expect(storedMessage(b, "Lunch on Friday?")).toBeVisible();

  await test.step("Bob replies in the thread from the message's toolbar", async () => {
    const message = storedMessage(b, "Lunch on Friday?");
    await message.hover();
    await message
      .getByRole("toolbar", { name: "Message actions" })
      .getByRole("button", { name: "Reply in thread" })
      .click();
    await expect(threadPanel(b)).toBeVisible();
    await replyInPanel(b, "Tacos!");
    await expect(threadPanel(b).getByRole("button", { name: "Following" })).toHaveAttribute("aria-pressed", "true");
    const results = await new AxeBuilder({ page: b }).include("aside").analyze();
    expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
  });

  await test.step("Alice sees the count under her message live, and the thread in her Threads view", async () => {
    const summary = storedMessage(a, "Lunch on Friday?").getByRole("button", { name: /^1 reply, last reply/ });
    await expect(summary).toBeVisible();
    // Bob's name in the button's label and title, his initials in the avatar beside it.
    await expect(summary).toHaveAccessibleName(/, from Bob: open thread$/);
    await expect(summary).toHaveAttribute("title", "From Bob");
    await expect(summary.locator("xpath=..")).toHaveText(/^B1 reply/);
    const threads = a.getByRole("link", { name: "Threads" });
    await expect(threads).toHaveAttribute("data-unread", "true");
    await summary.click();
    await expect(threadPanel(a).getByText("Tacos!")).toBeVisible();
    await expect(threads).not.toHaveAttribute("data-unread", "true");
  });

  await test.step("Alice's reply reaches Bob's open panel and his count", async () => {
    await replyInPanel(a, "Tacos it is");
    await expect(threadPanel(b).getByText("Tacos it is")).toBeVisible();
    await expect(
      storedMessage(b, "Lunch on Friday?").getByRole("button", { name: /^2 replies, last reply/ }),
    ).toBeVisible();
    // The channel itself shows no replies: they are the thread's.
    await expect(storedMessage(b, "Tacos it is")).toHaveCount(0);
  });

  await test.step("Alice edits her reply in the thread; Bob, who follows it, sees the edit live", async () => {
    const mine = threadPanel(a)
      .getByRole("list", { name: "Replies" })
      .locator("article")
      .filter({ hasText: "Tacos it is" });
    await mine.hover();
    await mine.getByRole("button", { name: "Edit message" }).click();
    const editor = threadPanel(a).getByRole("combobox", { name: "Edit message" });
    await editor.fill("Tacos it is, at noon");
    await editor.press("Enter");
    await expect(threadPanel(b).getByText("Tacos it is, at noon")).toBeVisible();
    await expect(threadPanel(b).getByText("(edited)")).toBeVisible();
  });

  await test.step("Bob also sends a reply to the channel; Alice sees it there and opens its thread from it", async () => {
    const panel = threadPanel(b);
    await panel.getByRole("checkbox", { name: `Also send to #${channel}` }).check();
    await replyInPanel(b, "See you all at noon");
    const copy = storedMessage(a, "See you all at noon");
    await expect(copy).toContainText("Replied to a thread");
    await threadPanel(a).getByRole("button", { name: "Close thread" }).click();
    await copy.getByRole("button", { name: "View thread" }).click();
    await expect(threadPanel(a).getByRole("list", { name: "Replies" }).getByText("See you all at noon")).toBeVisible();
  });

  await test.step("after a reload the summary and the thread are still there, and the Threads view lists it", async () => {
    await a.goto("/c/threads");
    const entry = a.getByRole("list", { name: "Followed threads" }).getByRole("button", { name: /Lunch on Friday\?/ });
    await expect(entry).toContainText("3 replies");
    await entry.click();
    await expect(threadPanel(a).getByText("Tacos it is, at noon")).toBeVisible();
    const results = await new AxeBuilder({ page: a }).analyze();
    expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
  });

  await contextA.close();
  await contextB.close();
});

test("a reply written offline waits in the outbox, survives a reload, and is sent once when back", async ({
  browser,
}) => {
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  await signUpAndSignIn(contextA, newPerson("Ann"));
  await signUpAndSignIn(contextB, newPerson("Ben"));
  const channel = uniqueChannelName("offline-reply");
  const id = await createChannel(contextA.request, channel);
  await joinChannel(contextB.request, id);
  await postMessage(contextB.request, id, "Who brings the cake?");
  const a = await contextA.newPage();
  const sockets = await socketSwitch(a);
  const b = await contextB.newPage();
  await openChat(a, `/c/${id}`);
  await openChat(b, `/c/${id}`);
  await openThreadOf(b, "Who brings the cake?");
  await expect(threadPanel(b)).toContainText("No replies yet");

  await test.step("offline, Ann's reply shows at once in the thread as pending", async () => {
    await openThreadOf(a, "Who brings the cake?");
    await contextA.setOffline(true);
    await expect(a.locator('[data-connection="disconnected"]')).toBeVisible();
    const box = threadPanel(a).getByRole("combobox", { name: "Reply in thread" });
    await box.fill("I will");
    await box.press("Enter");
    await expect(box).toHaveValue("");
    const pending = replies(a).locator('article[data-pending="pending"]').filter({ hasText: "I will" });
    await expect(pending).toContainText("Sending…");
    await expect(storedMessage(a, "I will")).toHaveCount(0);
  });

  await test.step("it survives a reload while the socket is still down", async () => {
    // Online for the page itself, not yet for its socket.
    await sockets.cut();
    await contextA.setOffline(false);
    await a.reload();
    await openThreadOf(a, "Who brings the cake?");
    await expect(replies(a).locator('article[data-pending="pending"]').filter({ hasText: "I will" })).toBeVisible();
    await expect(a.locator('[data-connection="connected"]')).toHaveCount(0);
    await expect(threadPanel(b)).toContainText("No replies yet");
  });

  await test.step("back online it is sent once: Ben sees it live, and one reply is counted", async () => {
    await sockets.restore();
    await expectConnected(a);
    await expect(replies(b).getByText("I will")).toHaveCount(1);
    await expect(
      storedMessage(b, "Who brings the cake?").getByRole("button", { name: /^1 reply, last reply/ }),
    ).toBeVisible();
    await expect(replies(a).locator("article[data-seq]").filter({ hasText: "I will" })).toHaveCount(1);
    await expect(replies(a).locator("article[data-pending]")).toHaveCount(0);
    await expect
      .poll(() => a.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("parley.outbox."))))
      .toEqual([]);
    // Nothing went to the channel itself.
    await expect(messageLog(b).locator("article[data-seq]")).toHaveCount(1);
  });

  await test.step("after a reload, still one reply", async () => {
    await b.reload();
    await expectConnected(b);
    await expect(
      storedMessage(b, "Who brings the cake?").getByRole("button", { name: /^1 reply, last reply/ }),
    ).toBeVisible();
    await openThreadOf(b, "Who brings the cake?");
    await expect(replies(b).locator("article[data-seq]")).toHaveCount(1);
  });

  await contextA.close();
  await contextB.close();
});

/** A reply through the API, as from another device; answers where it was stored. */
async function replyOverApi(
  request: APIRequestContext,
  conversationId: string,
  rootSeq: number,
  text: string,
  alsoToChannel = false,
): Promise<{ conversationId: string; seq: number }> {
  const response = await request.post(`/api/conversations/${conversationId}/messages/${rootSeq}/replies`, {
    data: { clientMessageId: crypto.randomUUID(), text, alsoToChannel },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { message: { conversationId: string; seq: number } }).message;
}

test("a thread open but not followed shows its replies' edits, reactions and deletions live", async ({ browser }) => {
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  await signUpAndSignIn(contextA, newPerson("Ann"));
  await signUpAndSignIn(contextB, newPerson("Ben"));
  const channel = uniqueChannelName("unfollowed");
  const id = await createChannel(contextA.request, channel);
  await joinChannel(contextB.request, id);
  const root = await postMessage(contextA.request, id, "Plan for Monday");
  const annReply = await replyOverApi(contextA.request, id, root, "Standup at nine");
  await replyOverApi(contextB.request, id, root, "Works for me");
  const a = await contextA.newPage();
  const b = await contextB.newPage();
  await openChat(a, `/c/${id}`);
  await openChat(b, `/c/${id}`);

  await openThreadOf(b, "Plan for Monday");
  const follow = threadPanel(b).getByRole("button", { name: /^Follow/ });
  await expect(follow).toHaveAttribute("aria-pressed", "true");
  await follow.click();
  await expect(follow).toHaveAttribute("aria-pressed", "false");
  await expect(replies(b).getByText("Works for me")).toBeVisible();

  await test.step("Ann edits her reply: Ben sees the edit live", async () => {
    const path = `/api/conversations/${annReply.conversationId}/messages/${annReply.seq}`;
    expect((await contextA.request.patch(path, { data: { text: "Standup at ten" } })).ok()).toBe(true);
    const edited = replies(b).locator("article").filter({ hasText: "Standup at ten" });
    await expect(edited).toContainText("(edited)");
  });

  await test.step("Ann reacts to Ben's reply: Ben sees the reaction live", async () => {
    await openThreadOf(a, "Plan for Monday");
    const his = replies(a).locator("article").filter({ hasText: "Works for me" });
    await his.hover();
    await his.getByRole("button", { name: "Add reaction" }).click();
    const picker = a.getByRole("dialog", { name: "Pick an emoji" });
    await picker.getByRole("searchbox", { name: "Search emoji" }).fill("party popper");
    await picker.getByRole("gridcell").filter({ hasText: "🎉" }).first().click();
    await expect(picker).toBeHidden();
    const pill = replies(b)
      .locator("article")
      .filter({ hasText: "Works for me" })
      .getByRole("group", { name: "Reactions" })
      .getByRole("button", { name: /🎉\s*1/ });
    await expect(pill).toHaveAttribute("aria-pressed", "false");
  });

  await test.step("Ann deletes her reply: Ben sees it go live", async () => {
    const path = `/api/conversations/${annReply.conversationId}/messages/${annReply.seq}`;
    expect((await contextA.request.delete(path)).ok()).toBe(true);
    await expect(replies(b).getByText("This message was deleted.")).toBeVisible();
    await expect(replies(b).getByText("Standup at ten")).toHaveCount(0);
  });

  await contextA.close();
  await contextB.close();
});

test("the Threads view stays live, and reading a thread there clears it on the person's other device", async ({
  browser,
}) => {
  const ann = newPerson("Ann");
  const laptop = await browser.newContext();
  const phone = await browser.newContext();
  const contextB = await browser.newContext();
  await signUpAndSignIn(laptop, ann);
  await signIn(phone.request, ann);
  await signUpAndSignIn(contextB, newPerson("Ben"));
  const id = await createChannel(laptop.request, uniqueChannelName("threads-view"));
  await joinChannel(contextB.request, id);
  const one = await postMessage(laptop.request, id, "Topic one");
  const two = await postMessage(laptop.request, id, "Topic two");
  await replyOverApi(contextB.request, id, one, "First on one");
  await replyOverApi(contextB.request, id, two, "First on two");
  const a = await laptop.newPage();
  const a2 = await phone.newPage();
  await openChat(a, "/c/threads");
  await openChat(a2, "/c/threads");
  const entries = (page: Page) => page.getByRole("list", { name: "Followed threads" }).getByRole("button");
  const entry = (page: Page, text: string) => entries(page).filter({ hasText: text });

  await test.step("unread threads are listed by their latest reply", async () => {
    for (const page of [a, a2]) {
      await expect(entries(page)).toHaveText([/Topic two.*1 reply · 1 unread/, /Topic one.*1 reply · 1 unread/]);
    }
  });

  await test.step("a new reply moves its thread up and counts it, live", async () => {
    await replyOverApi(contextB.request, id, one, "Second on one");
    await expect(entries(a)).toHaveText([/Topic one.*2 replies · 2 unread/, /Topic two.*1 reply · 1 unread/]);
    await expect(entry(a2, "Topic one")).toContainText("2 replies · 2 unread");
  });

  await test.step("opening it reads it, here and on the other device, where it goes below the unread one", async () => {
    await entry(a, "Topic one").click();
    await expect(threadPanel(a).getByText("Second on one")).toBeVisible();
    await expect(entry(a, "Topic one")).not.toHaveAttribute("data-unread", "true");
    await expect(entry(a, "Topic one")).not.toContainText("unread");
    await expect(entries(a2)).toHaveText([/Topic two.*1 unread/, /Topic one.*2 replies$/]);
    await expect(entry(a2, "Topic one")).not.toHaveAttribute("data-unread", "true");
    await expect(entry(a2, "Topic two")).toHaveAttribute("data-unread", "true");
  });

  await laptop.close();
  await phone.close();
  await contextB.close();
});

test("a reply's link opens its thread on that reply, and the Mentions view leads to replies that way", async ({
  browser,
}) => {
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  await contextA.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signUpAndSignIn(contextA, newPerson("Ann"));
  await signUpAndSignIn(contextB, newPerson("Ben"));
  const channel = uniqueChannelName("reply-link");
  const id = await createChannel(contextA.request, channel);
  await joinChannel(contextB.request, id);
  const root = await postMessage(contextA.request, id, "Release notes draft");
  for (const note of ["Note one", "Note two", "Note three"]) await replyOverApi(contextA.request, id, root, note);
  const mention = await replyOverApi(contextA.request, id, root, `<@${await userId(contextB.request)}> check them`);
  const a = await contextA.newPage();
  const b = await contextB.newPage();

  let link = "";
  await test.step("Ann copies the link of a reply", async () => {
    await openChat(a, `/c/${id}`);
    await openThreadOf(a, "Release notes draft");
    const second = replies(a).locator("article").filter({ hasText: "Note two" });
    await second.hover();
    await second.getByRole("button", { name: "Copy link to message" }).click();
    await expect(second.getByRole("status")).toHaveText("Link copied");
    link = await a.evaluate(() => navigator.clipboard.readText());
    expect(new URL(link).pathname + new URL(link).search).toBe(`/c/${id}?m=${root}&t=2`);
  });

  await test.step("Ben opens it: the thread opens beside its message, on that reply, highlighted", async () => {
    await openChat(b, link);
    const linked = replies(b).locator('article[data-seq="2"]');
    await expect(linked).toContainText("Note two");
    await expect(linked).toHaveAttribute("data-linked", "true");
    await expect(linked).toBeInViewport();
    await expect(replies(b).locator("article[data-linked]")).toHaveCount(1);
    await expect(storedMessage(b, "Release notes draft")).toHaveAttribute("data-linked", "true");
  });

  await test.step("a reply that does not exist is not found in the thread, which still shows", async () => {
    await openChat(b, `/c/${id}?m=${root}&t=99`);
    await expect(threadPanel(b).getByRole("heading", { name: "This reply doesn't exist" })).toBeVisible();
    await expect(replies(b).getByText("Note three")).toBeVisible();
    await expect(replies(b).locator("article[data-linked]")).toHaveCount(0);
  });

  await test.step("the Mentions view lists Ann's reply and opens it in its thread", async () => {
    await openChat(b, `/c/${id}`);
    await conversationLink(b, "Mentions").click();
    await expect(heading(b, "Mentions")).toBeVisible();
    const item = b.getByRole("listitem").filter({ hasText: "check them" });
    await item.getByRole("link", { name: `a thread in #${channel}` }).click();
    const linked = replies(b).locator(`article[data-seq="${mention.seq}"]`);
    await expect(linked).toHaveAttribute("data-linked", "true");
    await expect(linked).toContainText("check them");
  });

  await contextA.close();
  await contextB.close();
});

test("a mention in a reply counts on Mentions until read, and replying to a reply's copy opens its thread", async ({
  browser,
}) => {
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  await signUpAndSignIn(contextA, newPerson("Ann"));
  await signUpAndSignIn(contextB, newPerson("Ben"));
  const channel = uniqueChannelName("copy-reply");
  const id = await createChannel(contextA.request, channel);
  await joinChannel(contextB.request, id);
  const root = await postMessage(contextA.request, id, "Release plan");
  await replyOverApi(contextA.request, id, root, `<@${await userId(contextB.request)}> please review`);
  await replyOverApi(contextA.request, id, root, "Shipping today", true);
  const b = await contextB.newPage();
  await openChat(b, `/c/${id}`);

  await test.step("Ben's Mentions link counts the reply that mentions him", async () => {
    await expect(conversationLink(b, "Mentions")).toHaveAccessibleDescription("1 unread mention");
  });

  await test.step("Reply in thread on the copy in the channel opens the reply's own thread, which reads it", async () => {
    await openThreadOf(b, "Shipping today");
    await expect(threadPanel(b).getByText("Release plan")).toBeVisible();
    await expect(replies(b).getByText("please review")).toBeVisible();
    await expect(replies(b).getByText("Shipping today")).toBeVisible();
    await expect(conversationLink(b, "Mentions")).toHaveAccessibleDescription("");
  });

  await contextA.close();
  await contextB.close();
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("a thread takes the whole screen, and Back returns to the conversation", async ({ context, page }) => {
    await signUpAndSignIn(context, newPerson("Pia"));
    const channel = uniqueChannelName("phone");
    const id = await createChannel(context.request, channel);
    const root = await postMessage(context.request, id, "Anyone for coffee?");
    const reply = await context.request.post(`/api/conversations/${id}/messages/${root}/replies`, {
      data: { clientMessageId: crypto.randomUUID(), text: "Me!" },
    });
    expect(reply.status()).toBe(201);
    await openChat(page, `/c/${id}`);
    await storedMessage(page, "Anyone for coffee?")
      .getByRole("button", { name: /^1 reply, last reply/ })
      .tap();
    const panel = threadPanel(page);
    await expect(panel.getByText("Me!")).toBeVisible();
    const box = await panel.boundingBox();
    expect(box && Math.round(box.width)).toBe(390);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
    await panel.getByRole("button", { name: "Back to the conversation" }).tap();
    await expect(panel).toBeHidden();
    await expect(storedMessage(page, "Anyone for coffee?")).toBeVisible();
  });
});

test("a long thread opens on its newest reply, read, and follows the replies that come", async ({ browser }) => {
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  await signUpAndSignIn(contextA, newPerson("Ann"));
  await signUpAndSignIn(contextB, newPerson("Ben"));
  const id = await createChannel(contextA.request, uniqueChannelName("long-thread"));
  await joinChannel(contextB.request, id);
  const root = await postMessage(contextA.request, id, "A long discussion");
  for (let i = 1; i <= 30; i++) await replyOverApi(contextB.request, id, root, `Reply number ${i}`);
  const page = await contextA.newPage();
  await openChat(page, "/c/threads");
  const entry = page.getByRole("list", { name: "Followed threads" }).getByRole("button").first();
  await expect(entry).toContainText("30 replies · 30 unread");

  await test.step("opening it shows the newest reply, and the thread is read", async () => {
    await entry.click();
    await expect(replies(page).getByText("Reply number 30")).toBeInViewport();
    await expect(replies(page).getByText("Reply number 1", { exact: true })).not.toBeInViewport();
    await expect(entry).not.toContainText("unread");
  });

  await test.step("a reply that comes while the newest is read is shown too", async () => {
    await replyOverApi(contextB.request, id, root, "Reply number 31");
    await expect(replies(page).getByText("Reply number 31")).toBeInViewport();
  });

  await test.step("also sending to the channel is asked anew for each reply", async () => {
    const also = threadPanel(page).getByRole("checkbox", { name: /^Also send to/ });
    await also.check();
    await replyInPanel(page, "To the channel too");
    await expect(also).not.toBeChecked();
    await expect(replies(page).getByText("To the channel too")).toBeInViewport();
  });

  await contextA.close();
  await contextB.close();
});

test("a reply names a member chosen with @ in the thread's composer, and they are mentioned", async ({ browser }) => {
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  await signUpAndSignIn(contextA, newPerson("Ann"));
  await signUpAndSignIn(contextB, newPerson("Bea Quill"));
  const channel = uniqueChannelName("reply-mention");
  const id = await createChannel(contextA.request, channel);
  await joinChannel(contextB.request, id);
  await postMessage(contextA.request, id, "Who takes the demo?");
  const a = await contextA.newPage();
  const b = await contextB.newPage();
  await openChat(a, `/c/${id}`);
  await openChat(b, "/");
  await expect(conversationLink(b, "Mentions")).toHaveAccessibleDescription("");

  await openThreadOf(a, "Who takes the demo?");
  const box = threadPanel(a).getByRole("combobox", { name: "Reply in thread" });
  await box.pressSequentially("@Qui");
  const list = threadPanel(a).getByRole("listbox", { name: "People to mention" });
  // Members first: others in the workspace whose names match (other tests') come after.
  await expect(list.getByRole("option").first()).toHaveAccessibleName("Bea Quill");
  await box.press("Tab");
  await box.pressSequentially("can you?");
  await box.press("Enter");
  await expect(replies(a).getByText("@Bea Quill")).toBeVisible();
  await expect(conversationLink(b, "Mentions")).toHaveAccessibleDescription("1 unread mention");

  await contextA.close();
  await contextB.close();
});
