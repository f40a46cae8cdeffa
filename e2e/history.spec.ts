import { expect, test } from "@playwright/test";
import {
  conversationTitle,
  createChannel,
  messageLog,
  newPerson,
  openChat,
  postMessage,
  shownHistory,
  signUpAndSignIn,
  uniqueChannelName,
} from "./support/chat";

// Three pages of 50, and with the channel itself within a person's 120 writes per 10 s.
const SEEDED = 110;
const text = (seq: number) => `Seeded message number ${seq}`;

test("a long channel opens on its newest messages and loads older pages when scrolled to the top", async ({
  context,
  page,
}) => {
  await signUpAndSignIn(context, newPerson("Finn"));
  const channel = uniqueChannelName("history");
  const id = await createChannel(context.request, channel);
  for (let i = 1; i <= SEEDED; i++) expect(await postMessage(context.request, id, text(i))).toBe(i);

  await openChat(page, `/c/${id}`);
  await expect(conversationTitle(page, channel)).toBeVisible();
  const log = messageLog(page);

  await test.step("the newest message is shown first, the oldest is not loaded", async () => {
    const newest = page.locator(`article[data-seq="${SEEDED}"]`);
    await expect(newest).toBeVisible();
    await expect(newest).toContainText(text(SEEDED));
    await expect(page.locator('article[data-seq="1"]')).toHaveCount(0);
  });

  await test.step("scrolling to the top loads older pages until the first message", async () => {
    const first = page.locator('article[data-seq="1"]');
    await expect(async () => {
      await log.evaluate((el) => el.scrollTo({ top: 0 }));
      await expect(first).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await expect(first).toContainText(text(1));
  });

  await test.step("what is shown is in order, without gaps or repeats", async () => {
    const shown = await shownHistory(page);
    expect(shown.length).toBeGreaterThan(1);
    expect(shown[0]).toEqual([1, text(1)]);
    expect(shown).toEqual(shown.map((_, i) => [i + 1, text(i + 1)]));
  });

  await test.step("scrolling back down reaches the newest message again", async () => {
    await expect(async () => {
      await log.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await expect(page.locator(`article[data-seq="${SEEDED}"]`)).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    const shown = await shownHistory(page);
    expect(shown.at(-1)).toEqual([SEEDED, text(SEEDED)]);
    const first = shown[0]![0];
    expect(shown).toEqual(shown.map((_, i) => [first + i, text(first + i)]));
  });
});
