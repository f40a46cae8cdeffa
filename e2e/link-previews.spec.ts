import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import sharp from "sharp";
import { storedMessage, twoInAChannel, typeAndSend } from "./support/chat";

/** A page with an Open Graph card and its image, on the one address outside the internet Parley may fetch. */
let pages: Server;
let pageUrl: string;

test.beforeAll(async () => {
  const image = await sharp({ create: { width: 1200, height: 630, channels: 3, background: "#2a6f97" } })
    .png()
    .toBuffer();
  pages = createServer((req, res) => {
    if (req.url === "/card.png") {
      res.writeHead(200, { "content-type": "image/png" });
      res.end(image);
      return;
    }
    const base = `http://${req.headers.host}`;
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html><html><head><title>Release notes</title>` +
        `<meta property="og:title" content="Parley 1.0 release notes">` +
        `<meta property="og:description" content="Threads, reactions and link previews.">` +
        `<meta property="og:site_name" content="Parley blog">` +
        `<meta property="og:image" content="${base}/card.png"></head><body></body></html>`,
    );
  });
  await new Promise<void>((resolve) => pages.listen(0, "127.0.0.2", resolve));
  pageUrl = `http://127.0.0.2:${(pages.address() as AddressInfo).port}/notes`;
});

test.afterAll(async () => {
  await new Promise((resolve) => pages?.close(resolve));
});

test("a link gets a preview card with its image, live to another person, until its sender removes it", async ({
  browser,
}) => {
  const {
    pages: [a, b],
    channel,
    close,
  } = await twoInAChannel(browser, "links");

  await typeAndSend(a, channel, `Out now: ${pageUrl}`);
  const card = storedMessage(b, "Out now:").getByRole("complementary", { name: /Link preview/ });
  await expect(card.getByRole("link", { name: "Parley 1.0 release notes" })).toHaveAttribute("href", pageUrl);
  await expect(card).toContainText("Threads, reactions and link previews.");
  const image = card.locator("img");
  await expect(image).toHaveAttribute("src", /^\/api\/link-previews\/images\/[\w-]{43}$/);
  // Loaded from Parley, as Parley made it: 360 px wide at most.
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(360);
  const results = await new AxeBuilder({ page: b }).analyze();
  expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);

  await storedMessage(a, "Out now:").getByRole("button", { name: "Remove preview" }).click();
  await expect(storedMessage(b, "Out now:").getByRole("complementary", { name: /Link preview/ })).toHaveCount(0);
  await expect(storedMessage(a, "Out now:").getByRole("complementary", { name: /Link preview/ })).toHaveCount(0);
  await close();
});
