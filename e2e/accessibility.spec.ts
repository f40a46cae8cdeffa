import AxeBuilder from "@axe-core/playwright";
import { randomUUID } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import {
  composer,
  conversationTitle,
  createChannel,
  newPerson,
  openChat,
  postMessage,
  signUpAndSignIn,
  uniqueChannelName,
} from "./support/chat";
import { openDirect, userId } from "./support/conversations";

const widths = [
  { name: "desktop", viewport: { width: 1280, height: 720 }, isMobile: false },
  { name: "phone", viewport: { width: 390, height: 844 }, isMobile: true },
] as const;

/** Serious and critical axe violations, one line each, so a failure says what and where. */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Visible buttons and links smaller than 44 by 44 px. Links inside message text are inline text, exempt. */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("button, a[href], [role=button]")]
      .filter((el) => el.checkVisibility({ visibilityProperty: true }) && !el.closest("article"))
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && (box.width < 43.5 || box.height < 43.5))
      .map(({ el, box }) => `${el.outerHTML.slice(0, 80)} is ${Math.round(box.width)}x${Math.round(box.height)}`),
  );
}

/** A person in a channel with a few messages, and a public channel they have not joined. */
async function seed(browser: Browser) {
  const other = await browser.newContext();
  await signUpAndSignIn(other, newPerson("Axel"));
  const foreign = uniqueChannelName("elsewhere");
  const foreignId = await createChannel(other.request, foreign);
  await other.close();
  return { foreignId };
}

for (const { name, viewport, isMobile } of widths) {
  test(`on ${name}, every page has no serious or critical accessibility violations`, async ({ browser }) => {
    const { foreignId } = await seed(browser);
    const signedOut = await browser.newContext({ viewport, isMobile });
    const page = await signedOut.newPage();
    for (const path of ["/signin", "/signup"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      expect(await seriousViolations(page), path).toEqual([]);
    }
    await signedOut.close();

    const context = await browser.newContext({ viewport, isMobile });
    await signUpAndSignIn(context, newPerson("Ida"));
    const channel = uniqueChannelName("axe");
    const id = await createChannel(context.request, channel);
    for (let i = 1; i <= 5; i++) await postMessage(context.request, id, `Message ${i} with https://example.com/${i}`);
    const chat = await context.newPage();
    // Someone writes to Ida: the sidebar shows a direct message with an unread badge.
    const other = await browser.newContext();
    await signUpAndSignIn(other, newPerson("Una"));
    const dm = await openDirect(other.request, [await userId(context.request)]);
    await postMessage(other.request, dm, "Unread until Ida opens it");
    await other.close();
    await openChat(chat, `/c/${id}`);
    await expect(composer(chat, channel)).toBeVisible();
    await expect(chat.locator("article[data-seq]").first()).toBeVisible();
    await expect(chat.locator("a[data-unread]").first()).toBeAttached();
    expect(await seriousViolations(chat), "a channel").toEqual([]);

    await chat.getByRole("button", { name: "Channel details" }).click();
    await expect(chat.getByRole("complementary").getByRole("button", { name: "Add people" })).toBeVisible();
    expect(await seriousViolations(chat), "the details panel").toEqual([]);
    await chat.getByRole("complementary").getByRole("button", { name: "Add people" }).click();
    await expect(
      chat
        .getByRole("dialog", { name: /^Add people/ })
        .getByRole("option")
        .first(),
    ).toBeVisible();
    expect(await seriousViolations(chat), "the add people dialog").toEqual([]);
    await chat.keyboard.press("Escape");
    await chat.getByRole("button", { name: "Close details" }).click();
    await expect(chat.getByRole("heading", { level: 1 })).toHaveCount(1);
    await expect(chat.getByRole("heading", { level: 1 })).toBeVisible();

    if (isMobile) {
      await chat.getByRole("button", { name: "Open channel list" }).click();
      await expect(chat.getByRole("navigation", { name: "Channels" })).toBeVisible();
      expect(await seriousViolations(chat), "the channel drawer").toEqual([]);
      await chat.keyboard.press("Escape");
      await expect(chat.getByRole("navigation", { name: "Channels" })).toBeHidden();
    }

    await chat.locator('button[aria-label="Create channel"]').evaluate((b: HTMLButtonElement) => b.click());
    await expect(chat.getByRole("dialog", { name: "Create a channel" })).toBeVisible();
    expect(await seriousViolations(chat), "the create dialog").toEqual([]);
    await chat.keyboard.press("Escape");
    await chat.locator('button[aria-label="New message"]').evaluate((b: HTMLButtonElement) => b.click());
    const picker = chat.getByRole("dialog", { name: "New message" });
    await picker.getByRole("combobox").fill("e2e.test");
    await expect(picker.getByRole("option").first()).toBeVisible();
    await picker.getByRole("combobox").press("Enter");
    await expect(picker.getByRole("list", { name: "Chosen" })).toBeVisible();
    expect(await seriousViolations(chat), "the people picker").toEqual([]);
    await chat.keyboard.press("Escape");
    await chat.locator("button", { hasText: "Browse channels" }).evaluate((b: HTMLButtonElement) => b.click());
    await expect(chat.getByRole("dialog", { name: "Browse channels" }).getByRole("listitem").first()).toBeVisible();
    expect(await seriousViolations(chat), "the browse dialog").toEqual([]);
    await chat.keyboard.press("Escape");

    await openChat(chat, `/c/${dm}`);
    await expect(chat.getByRole("heading", { level: 1, name: "Una" })).toBeVisible();
    await expect(chat.locator("article[data-seq]").first()).toBeVisible();
    expect(await seriousViolations(chat), "a direct message").toEqual([]);

    const archived = await createChannel(context.request, uniqueChannelName("archived"));
    await postMessage(context.request, archived, "The last word");
    expect((await context.request.post(`/api/conversations/${archived}/archive`)).ok()).toBe(true);
    await openChat(chat, `/c/${archived}`);
    await expect(chat.getByRole("region", { name: "Archived channel" })).toBeVisible();
    expect(await seriousViolations(chat), "an archived channel").toEqual([]);

    const secret = uniqueChannelName("secret");
    const secretResponse = await context.request.post("/api/channels", { data: { name: secret, isPrivate: true } });
    expect(secretResponse.status()).toBe(201);
    const { conversation } = (await secretResponse.json()) as { conversation: { id: string } };
    await openChat(chat, `/c/${conversation.id}`);
    await expect(chat.getByRole("heading", { level: 1, name: secret })).toBeVisible();
    expect(await seriousViolations(chat), "a private channel").toEqual([]);

    await openChat(chat, `/c/${foreignId}`);
    await expect(chat.getByRole("button", { name: /^Join #/ })).toBeVisible();
    expect(await seriousViolations(chat), "a channel to join").toEqual([]);
    await expect(chat.getByRole("heading", { level: 1 })).toBeVisible();

    await openChat(chat, `/c/${randomUUID()}`);
    await expect(chat.getByRole("link", { name: "Go to #general" })).toBeVisible();
    expect(await seriousViolations(chat), "an unknown conversation").toEqual([]);
    await context.close();
  });
}

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("every visible button and link is at least 44 by 44 px", async ({ browser, context, page }) => {
    const { foreignId } = await seed(browser);
    for (const path of ["/signin", "/signup"]) {
      const signedOut = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
      const form = await signedOut.newPage();
      await form.goto(path);
      await expect(form.getByRole("heading", { level: 1 })).toBeVisible();
      expect(await smallTargets(form), path).toEqual([]);
      await signedOut.close();
    }

    await signUpAndSignIn(context, newPerson("Tess"));
    const channel = uniqueChannelName("touch");
    const id = await createChannel(context.request, channel);
    await openChat(page, `/c/${id}`);
    await expect(conversationTitle(page, channel)).toBeVisible();
    await expect(composer(page, channel)).toBeVisible();
    await composer(page, channel).fill("draft");
    expect(await smallTargets(page), "a channel").toEqual([]);

    await page.getByRole("button", { name: "Open channel list" }).tap();
    await expect(page.getByRole("navigation", { name: "Channels" })).toBeVisible();
    expect(await smallTargets(page), "the channel drawer").toEqual([]);

    await page.getByRole("button", { name: "Browse channels" }).tap();
    await expect(page.getByRole("dialog", { name: "Browse channels" }).getByRole("listitem").first()).toBeVisible();
    expect(await smallTargets(page), "the browse dialog").toEqual([]);
    await page.keyboard.press("Escape");

    await page.getByRole("button", { name: "Create channel" }).tap();
    await expect(page.getByRole("dialog", { name: "Create a channel" })).toBeVisible();
    expect(await smallTargets(page), "the create dialog").toEqual([]);
    await page.keyboard.press("Escape");

    await openChat(page, `/c/${foreignId}`);
    await expect(page.getByRole("button", { name: /^Join #/ })).toBeVisible();
    expect(await smallTargets(page), "a channel to join").toEqual([]);

    await openChat(page, `/c/${randomUUID()}`);
    await expect(page.getByRole("link", { name: "Go to #general" })).toBeVisible();
    expect(await smallTargets(page), "an unknown conversation").toEqual([]);
  });
});
