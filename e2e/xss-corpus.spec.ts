import { expect, test } from "@playwright/test";
import { xssPayloads } from "../tests/fixtures/xss-corpus";
import {
  createChannel,
  joinChannel,
  messageLog,
  newPerson,
  openChat,
  postMessage,
  signUpAndSignIn,
  uniqueChannelName,
} from "./support/chat";
import { xssAllowlist } from "../tests/fixtures/xss-allowlist";
import { watchRenderedMessages } from "./support/render-watch";

/** Messages per sender, under the per-person write limit. */
const SHARE = 90;

type Watch = { dialogs: string[]; csp: string[]; unsafe: string[]; seen: Record<string, true> };

test("every payload of the XSS corpus renders as inert text under the app's CSP", async ({ browser }) => {
  test.setTimeout(300_000);
  const payloads = xssPayloads();
  expect(payloads.length).toBeGreaterThanOrEqual(500);
  // A tall window: more messages render at once, fewer scroll steps.
  const context = await browser.newContext({ viewport: { width: 1280, height: 2000 } });
  await signUpAndSignIn(context, newPerson("Mallory"));
  const id = await createChannel(context.request, uniqueChannelName("xss"));
  // Each person may write about 120 times in 10 s: the corpus comes from several senders, a share each.
  const senders = await Promise.all(
    Array.from({ length: Math.ceil(payloads.length / SHARE) }, async (_, i) => {
      const sender = await browser.newContext();
      await signUpAndSignIn(sender, newPerson(`Sender${i}`));
      await joinChannel(sender.request, id);
      return sender;
    }),
  );
  const seqs = (
    await Promise.all(
      senders.map(async (sender, i) => {
        const sent: number[] = [];
        for (const payload of payloads.slice(i * SHARE, (i + 1) * SHARE))
          sent.push(await postMessage(sender.request, id, payload));
        return sent;
      }),
    )
  ).flat();
  expect(seqs).toHaveLength(payloads.length);
  await Promise.all(senders.map((sender) => sender.close()));

  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  await page.addInitScript(watchRenderedMessages, xssAllowlist);
  await openChat(page, `/c/${id}`);
  const log = messageLog(page);
  /** What the watch saw so far; soft, so that a page a payload broke still reports what got in. */
  const expectInert = async (when: string) => {
    const result = await page.evaluate(() => ({
      ...(window as unknown as { __renderWatch: Watch }).__renderWatch,
      globals: ["x", "__pwned"].filter((name) => name in window),
    }));
    expect.soft(result.dialogs, `${when}: no alert, confirm, prompt, print or open was called`).toEqual([]);
    expect.soft(result.globals, `${when}: no payload set a global`).toEqual([]);
    expect.soft(result.unsafe, `${when}: nothing unsafe was rendered in a message`).toEqual([]);
    expect.soft(result.csp, `${when}: no CSP violation`).toEqual([]);
    return result;
  };
  await expectInert("on opening");

  await test.step("scroll to the top until the first payload has loaded", async () => {
    const first = page.locator(`article[data-seq="${Math.min(...seqs)}"]`);
    await expect(async () => {
      await log.evaluate((el) => el.scrollTo({ top: 0 }));
      await expect(first).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 60_000 });
  });

  await test.step("scroll down through every message, one screen at a time", async () => {
    for (;;) {
      const atBottom = await log.evaluate(async (el) => {
        el.scrollBy({ top: el.clientHeight * 0.8 });
        // Two frames: the list has rendered what the scroll brought into view.
        await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
        return el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      });
      if (atBottom) break;
    }
    await expect(page.locator(`article[data-seq="${Math.max(...seqs)}"]`)).toBeVisible();
  });

  const result = await expectInert("after scrolling through");
  expect(
    seqs.filter((seq) => !result.seen[seq]),
    "every payload was rendered",
  ).toEqual([]);
  expect(
    consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e)),
    "no CSP error in the console",
  ).toEqual([]);
  await context.close();
});
