import { expect, test } from "@playwright/test";
import {
  createChannel,
  newPerson,
  openChat,
  postMessage,
  signUpAndSignIn,
  storedMessage,
  uniqueChannelName,
} from "./support/chat";

test("URLs in messages are safe links, and nothing in a message widens a phone's page", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await signUpAndSignIn(context, newPerson("Lina"));
  const id = await createChannel(context.request, uniqueChannelName("links"));
  const longWord = "x".repeat(300);
  const longUrl = `https://example.com/${"segment/".repeat(40)}end`;
  await postMessage(context.request, id, "Docs at https://example.com/docs?page=2, thanks");
  await postMessage(
    context.request,
    id,
    "Click javascript:alert(document.domain) or <img src=x onerror=alert(1)> <b>me</b>",
  );
  await postMessage(context.request, id, longWord);
  await postMessage(context.request, id, `see ${longUrl}`);

  const page = await context.newPage();
  await openChat(page, `/c/${id}`);

  await test.step("a bare https URL is a link that opens in a new tab without access to this page", async () => {
    const message = storedMessage(page, "Docs at");
    const link = message.getByRole("link", { name: "https://example.com/docs?page=2" });
    await expect(link).toHaveAttribute("href", "https://example.com/docs?page=2");
    await expect(link).toHaveAttribute("target", "_blank");
    await expect(link).toHaveAttribute("rel", "noopener noreferrer");
    await expect(message).toContainText("Docs at https://example.com/docs?page=2, thanks");
  });

  await test.step("other schemes and markup stay plain text", async () => {
    const message = storedMessage(page, "Click javascript:");
    await expect(message).toContainText("<img src=x onerror=alert(1)> <b>me</b>");
    await expect(message.getByRole("link")).toHaveCount(0);
  });

  await test.step("a 300-character word and a long URL wrap instead of scrolling the page sideways", async () => {
    await expect(storedMessage(page, longWord)).toBeVisible();
    await expect(storedMessage(page, "see https://example.com/segment")).toBeVisible();
    await expect(storedMessage(page, "see https://example.com/segment").getByRole("link")).toHaveAttribute(
      "href",
      longUrl,
    );
    const widths = await page.evaluate(() => {
      const log = document.querySelector('[role="log"]')!;
      return {
        viewport: window.innerWidth,
        page: document.documentElement.scrollWidth,
        body: document.body.scrollWidth,
        log: log.scrollWidth,
        logClient: log.clientWidth,
      };
    });
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    expect(widths.body).toBeLessThanOrEqual(widths.viewport);
    expect(widths.log, "the message list does not scroll sideways").toBeLessThanOrEqual(widths.logClient);
  });
  await context.close();
});
