import { expect, test, type Browser, type Page } from "@playwright/test";
import {
  composer,
  createChannel,
  joinChannel,
  messageLog,
  newPerson,
  openChat,
  signUpAndSignIn,
  storedMessage,
  uniqueChannelName,
} from "./support/chat";

const viewports = [
  { name: "desktop", viewport: { width: 1280, height: 720 }, isMobile: false },
  { name: "phone", viewport: { width: 390, height: 844 }, isMobile: true },
];

/** Enough short messages from one person to fill either screen several times over. */
const COUNT = 40;
const text = (n: number) => `Follow me ${n}`;

async function open(browser: Browser, viewport: (typeof viewports)[number]) {
  const context = await browser.newContext({ viewport: viewport.viewport, isMobile: viewport.isMobile });
  await signUpAndSignIn(context, newPerson(viewport.isMobile ? "Phone Reader" : "Desk Reader"));
  const page = await context.newPage();
  return { context, page };
}

async function send(page: Page, channel: string, message: string) {
  const box = composer(page, channel);
  await box.fill(message);
  await box.press("Enter");
  await expect(box).toHaveValue("");
}

for (const viewport of viewports) {
  test(`on ${viewport.name}, the newest message stays in view for sender and reader; a reader scrolled up gets a "new messages" pill`, async ({
    browser,
  }) => {
    const channel = uniqueChannelName("follow");
    const sender = await open(browser, viewport);
    const id = await createChannel(sender.page.request, channel);
    const reader = await open(browser, viewport);
    await joinChannel(reader.page.request, id);
    await openChat(sender.page, `/c/${id}`);
    await openChat(reader.page, `/c/${id}`);
    await expect(composer(reader.page, channel)).toBeVisible();

    await test.step("each message sent comes into view for both, well past a screenful", async () => {
      for (let n = 1; n <= COUNT; n++) {
        await send(sender.page, channel, text(n));
        await expect(storedMessage(sender.page, text(n))).toBeInViewport();
        await expect(storedMessage(reader.page, text(n))).toBeInViewport();
      }
      const [shown, total] = await messageLog(reader.page).evaluate((el) => [el.clientHeight, el.scrollHeight]);
      expect(total, "the list is taller than its viewport").toBeGreaterThan(shown);
      await expect(reader.page.getByRole("button", { name: /new message/ })).toHaveCount(0);
    });

    await test.step("a reader scrolled up stays put and sees how many new messages arrived", async () => {
      const log = messageLog(reader.page);
      const early = storedMessage(reader.page, text(COUNT - 30));
      await expect(async () => {
        await log.evaluate((el) => el.scrollTo({ top: 0 }));
        await expect(early).toBeInViewport({ timeout: 1_000 });
      }).toPass({ timeout: 15_000 });

      for (let n = COUNT + 1; n <= COUNT + 3; n++) {
        await send(sender.page, channel, text(n));
        await expect(storedMessage(sender.page, text(n))).toBeInViewport();
      }
      const pill = reader.page.getByRole("button", { name: "3 new messages" });
      await expect(pill).toBeVisible();
      await expect(storedMessage(reader.page, text(COUNT + 3))).not.toBeInViewport();
      await expect(early).toBeInViewport();

      await pill.click();
      await expect(storedMessage(reader.page, text(COUNT + 3))).toBeInViewport();
      await expect(pill).toBeHidden();
    });

    await test.step("back at the bottom, the reader follows again without a pill", async () => {
      await send(sender.page, channel, text(COUNT + 4));
      await expect(storedMessage(reader.page, text(COUNT + 4))).toBeInViewport();
      await expect(reader.page.getByRole("button", { name: /new message/ })).toHaveCount(0);
    });

    await test.step("the sender scrolled up jumps to the bottom when sending", async () => {
      const log = messageLog(sender.page);
      const early = storedMessage(sender.page, text(COUNT - 30));
      await expect(async () => {
        await log.evaluate((el) => el.scrollTo({ top: 0 }));
        await expect(early).toBeInViewport({ timeout: 1_000 });
      }).toPass({ timeout: 15_000 });
      await send(sender.page, channel, text(COUNT + 5));
      await expect(storedMessage(sender.page, text(COUNT + 5))).toBeInViewport();
    });

    await sender.context.close();
    await reader.context.close();
  });
}
