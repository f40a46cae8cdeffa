import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import {
  conversationTitle,
  createChannel,
  joinChannel,
  messageLog,
  newPerson,
  openChat,
  postMessage,
  signUpAndSignIn,
  uniqueChannelName,
} from "./support/chat";
import { userId } from "./support/conversations";

const COUNT = 10_000;
/** Pages of older messages the reader scrolls up through, each of which must leave the reader's place alone. */
const PAGES_UP = 12;

/** The server's scratch database (e2e/support/serve.ts): the only way to 10,000 messages in seconds. */
const scratchUrl = process.env.TEST_DATABASE_URL && new URL(process.env.TEST_DATABASE_URL);
if (scratchUrl) scratchUrl.pathname = "/parley_e2e";

type Watch = { seq: number; top: number; drift: number; frames: number };
declare global {
  interface Window {
    readersPlace?: Watch;
  }
}

/**
 * Scrolls the list (to its top, or by some pixels), and once the rows of where it was scrolled to are drawn
 * (the list draws the top ones before it asks for an older page), watches the message in the middle of the
 * list, what the reader is looking at, in every frame: how far it ever moves from where it was.
 */
async function scrollAndWatch(page: Page, to: "top" | { by: number }): Promise<Watch> {
  return messageLog(page).evaluate(
    (log, to) =>
      new Promise<Watch>((resolve) => {
        const box = log.getBoundingClientRect();
        const middle = box.top + box.height / 2;
        // The row there, or the one below when a day's divider is there.
        const atMiddle = () =>
          [...log.querySelectorAll("article[data-seq]")].find((a) => a.getBoundingClientRect().bottom >= middle);
        const watchMiddle = () => {
          const article = atMiddle()!;
          const seq = Number(article.getAttribute("data-seq"));
          const watch = { seq, top: article.getBoundingClientRect().top, drift: 0, frames: 0 };
          window.readersPlace = watch;
          const frame = () => {
            if (window.readersPlace !== watch) return;
            const now = log.querySelector(`article[data-seq="${seq}"]`);
            watch.drift = Math.max(watch.drift, now ? Math.abs(now.getBoundingClientRect().top - watch.top) : Infinity);
            watch.frames++;
            requestAnimationFrame(frame);
          };
          requestAnimationFrame(frame);
          resolve({ ...watch });
        };
        if (to !== "top") {
          log.scrollBy({ top: to.by });
          requestAnimationFrame(() => requestAnimationFrame(watchMiddle));
          return;
        }
        // Mutation records are handled before any later task, such as the older page's arrival, which moves
        // the list off its top.
        // The list draws the rows at its top first, then down to its middle.
        const drawn = () =>
          log.scrollTop === 0 &&
          [...log.querySelectorAll("article[data-seq]")].some((a) => a.getBoundingClientRect().top < box.top + 200) &&
          atMiddle() !== undefined;
        const observer = new MutationObserver(() => {
          if (!drawn()) return;
          observer.disconnect();
          watchMiddle();
        });
        observer.observe(log, { childList: true, subtree: true });
        log.scrollTo({ top: 0 });
      }),
    to,
  );
}

/** The watch once `frames` more frames have been drawn. */
async function watchedFor(page: Page, frames: number): Promise<Watch> {
  const start = await page.evaluate(() => window.readersPlace!.frames);
  await expect.poll(() => page.evaluate(() => window.readersPlace!.frames)).toBeGreaterThanOrEqual(start + frames);
  return page.evaluate(() => ({ ...window.readersPlace! }));
}

test.skip(!scratchUrl, "needs TEST_DATABASE_URL: the 10,000 messages are written straight into the database");

test("10,000 messages: older pages load above without moving what the reader sees, new ones wait under a button", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const annContext = await browser.newContext();
  const benContext = await browser.newContext();
  await signUpAndSignIn(annContext, newPerson("Ann Long"));
  await signUpAndSignIn(benContext, newPerson("Ben Long"));
  const channel = uniqueChannelName("long");
  const id = await createChannel(annContext.request, channel);
  await joinChannel(benContext.request, id);
  const [ann, ben] = [await userId(annContext.request), await userId(benContext.request)];

  // Turns of three messages each, twenty seconds apart: groups under one name, and days (55 hours) apart.
  const sql = postgres(scratchUrl!.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql`
      insert into messages (conversation_id, seq, sender_id, client_message_id, text, created_at)
      select ${id}::uuid, g, case when (g / 3) % 2 = 0 then ${ann}::uuid else ${ben}::uuid end, gen_random_uuid(),
             'Long history message ' || g, now() - make_interval(secs => (${COUNT}::int - g) * 20)
      from generate_series(1, ${COUNT}::int) g`;
    await sql`update conversations set last_seq = ${COUNT} where id = ${id}`;
    await sql`update conversation_members set last_read_seq = ${COUNT} where conversation_id = ${id}`;
  } finally {
    await sql.end({ timeout: 5 });
  }

  const page = await annContext.newPage();
  await openChat(page, `/c/${id}`);
  await expect(conversationTitle(page, channel)).toBeVisible();
  await expect(page.locator(`article[data-seq="${COUNT}"]`)).toBeVisible();

  await test.step(`scrolling up through ${PAGES_UP} older pages keeps the message read in its place`, async () => {
    for (let i = 0; i < PAGES_UP; i++) {
      // Up to the oldest message held, which asks for the page before it.
      const place = await scrollAndWatch(page, "top");
      // The page is in when the list has moved its scroll position down by the page's height, keeping the rows
      // on screen where they were.
      await expect.poll(() => messageLog(page).evaluate((log) => log.scrollTop)).toBeGreaterThan(0);
      // Through the frames in which the new rows are measured and placed.
      const watched = await watchedFor(page, 20);
      expect(watched.drift, `message ${place.seq} moved while page ${i + 1} came in`).toBeLessThanOrEqual(1);
    }
  });

  await test.step("a message that arrives meanwhile shows N new messages and moves nothing", async () => {
    await scrollAndWatch(page, { by: 400 });
    await postMessage(benContext.request, id, "A new one while Ann reads old ones");
    const pill = page.getByRole("button", { name: /^1 new message/ });
    await expect(pill).toBeVisible();
    expect((await watchedFor(page, 20)).drift).toBeLessThanOrEqual(1);
    await pill.click();
    await expect(page.locator(`article[data-seq="${COUNT + 1}"]`)).toBeVisible();
  });

  await annContext.close();
  await benContext.close();
});
