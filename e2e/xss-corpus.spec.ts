import { expect, test } from "@playwright/test";
import { xssPayloads } from "../tests/fixtures/xss-corpus";
import {
  createChannel,
  messageLog,
  newPerson,
  openChat,
  postMessage,
  signUpAndSignIn,
  uniqueChannelName,
} from "./support/chat";
import { watchRenderedMessages } from "./support/render-watch";

type Watch = { dialogs: string[]; csp: string[]; unsafe: string[]; seen: Record<string, true> };

test("every payload of the XSS corpus renders as inert text under the app's CSP", async ({ browser }) => {
  test.setTimeout(300_000);
  const payloads = xssPayloads();
  expect(payloads.length).toBeGreaterThanOrEqual(500);
  // A tall window: more messages render at once, fewer scroll steps.
  const context = await browser.newContext({ viewport: { width: 1280, height: 2000 } });
  await signUpAndSignIn(context, newPerson("Mallory"));
  const id = await createChannel(context.request, uniqueChannelName("xss"));
  const seqs: number[] = [];
  for (let i = 0; i < payloads.length; i += 10) {
    seqs.push(...(await Promise.all(payloads.slice(i, i + 10).map((p) => postMessage(context.request, id, p)))));
  }

  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  await page.addInitScript(watchRenderedMessages);
  await openChat(page, `/c/${id}`);
  const log = messageLog(page);
  const watch = () => page.evaluate(() => (window as unknown as { __renderWatch: Watch }).__renderWatch);

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

  const result = await watch();
  expect(
    seqs.filter((seq) => !result.seen[seq]),
    "every payload was rendered",
  ).toEqual([]);
  expect(result.dialogs, "no alert, confirm, prompt, print or open was called").toEqual([]);
  expect(
    await page.evaluate(() => ({ x: "x" in window, pwned: "__pwned" in window })),
    "no payload set a global",
  ).toEqual({
    x: false,
    pwned: false,
  });
  expect(result.unsafe, "nothing unsafe was ever rendered in a message").toEqual([]);
  expect(result.csp, "no CSP violation").toEqual([]);
  expect(
    consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e)),
    "no CSP error in the console",
  ).toEqual([]);
  await context.close();
});
