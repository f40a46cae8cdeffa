import AxeBuilder from "@axe-core/playwright";
import { rmSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { createScratchDatabase, startTestServer } from "../tests/helpers/server";
import {
  channelLink,
  composer,
  createChannel,
  messageLog,
  newPerson,
  openChat,
  postMessage,
  signIn,
  signUpAndSignIn,
  storedMessage,
  uniqueChannelName,
} from "./support/chat";

/** Serious and critical axe violations, one line each, so a failure says what and where. */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test.describe("drafts", () => {
  test("a draft stays through switching conversations and reloading, and goes once sent", async ({ context, page }) => {
    await signUpAndSignIn(context, newPerson("Dora"));
    const first = uniqueChannelName("drafts");
    const second = uniqueChannelName("elsewhere");
    const firstId = await createChannel(context.request, first);
    await createChannel(context.request, second);
    await openChat(page, `/c/${firstId}`);

    await composer(page, first).fill("Half a thought,\nand its second line");
    await channelLink(page, second).click();
    await expect(composer(page, second)).toBeVisible();
    await expect(composer(page, second)).toHaveValue("");
    await expect(channelLink(page, first)).toHaveAccessibleDescription("Draft");
    await expect(channelLink(page, second)).not.toHaveAccessibleDescription("Draft");

    await channelLink(page, first).click();
    await expect(composer(page, first)).toHaveValue("Half a thought,\nand its second line");
    await page.reload();
    await expect(composer(page, first)).toHaveValue("Half a thought,\nand its second line");

    await composer(page, first).press("Enter");
    await expect(storedMessage(page, "Half a thought,")).toBeVisible();
    await expect(composer(page, first)).toHaveValue("");
    await channelLink(page, second).click();
    await expect(composer(page, second)).toBeVisible();
    await expect(channelLink(page, first)).not.toHaveAccessibleDescription("Draft");
    await page.reload();
    await channelLink(page, first).click();
    await expect(composer(page, first)).toHaveValue("");
  });

  test("emptying the composer removes the draft", async ({ context, page }) => {
    await signUpAndSignIn(context, newPerson("Emil"));
    const first = uniqueChannelName("drafts");
    const second = uniqueChannelName("elsewhere");
    const firstId = await createChannel(context.request, first);
    await createChannel(context.request, second);
    await openChat(page, `/c/${firstId}`);

    await composer(page, first).fill("Never mind");
    await channelLink(page, second).click();
    await expect(channelLink(page, first)).toHaveAccessibleDescription("Draft");
    await channelLink(page, first).click();
    await composer(page, first).fill("");
    await channelLink(page, second).click();
    await expect(composer(page, second)).toBeVisible();
    await expect(channelLink(page, first)).not.toHaveAccessibleDescription("Draft");
    await page.reload();
    await channelLink(page, first).click();
    await expect(composer(page, first)).toHaveValue("");
  });

  test("signing out forgets the person's drafts on this computer", async ({ context, page }) => {
    const person = newPerson("Flo");
    await signUpAndSignIn(context, person);
    const first = uniqueChannelName("drafts");
    const second = uniqueChannelName("elsewhere");
    const firstId = await createChannel(context.request, first);
    await createChannel(context.request, second);
    await openChat(page, `/c/${firstId}`);
    await composer(page, first).fill("the password is hunter2");
    await channelLink(page, second).click();
    await expect(channelLink(page, first)).toHaveAccessibleDescription("Draft");
    const draftKeys = () =>
      page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith("parley.draft.")));
    expect(await draftKeys()).toHaveLength(1);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);
    expect(await draftKeys()).toEqual([]);
    await signIn(context.request, person);
    await openChat(page, `/c/${firstId}`);
    await expect(composer(page, first)).toHaveValue("");
    await expect(channelLink(page, first)).not.toHaveAccessibleDescription("Draft");
  });
});

for (const { name, viewport, isMobile } of [
  { name: "desktop", viewport: { width: 1280, height: 720 }, isMobile: false },
  { name: "phone", viewport: { width: 390, height: 844 }, isMobile: true },
] as const) {
  test(`on ${name}, the formatting hint describes the composer and passes axe`, async ({ browser }) => {
    const context = await browser.newContext({ viewport, isMobile });
    await signUpAndSignIn(context, newPerson("Hina"));
    const channel = uniqueChannelName("hint");
    const id = await createChannel(context.request, channel);
    await postMessage(context.request, id, "Something to read");
    const page = await context.newPage();
    await openChat(page, `/c/${id}`);

    const box = composer(page, channel);
    const toggle = page.getByRole("button", { name: "Formatting help" });
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(box).not.toHaveAccessibleDescription(/new line/);
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    await expect(page.getByText("**bold**")).toBeVisible();
    await expect(box).toHaveAccessibleDescription(/Shift\+Enter for a new line/);
    await expect(box).toBeFocused();
    expect(await seriousViolations(page)).toEqual([]);

    // Shift+Enter still makes a new line with the hint open, and the box grows with its lines.
    const oneLine = (await box.boundingBox())!.height;
    await box.pressSequentially("first");
    await box.press("Shift+Enter");
    await box.pressSequentially("second");
    await expect(box).toHaveValue("first\nsecond");
    expect((await box.boundingBox())!.height).toBeGreaterThan(oneLine);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    await context.close();
  });
}

test("messages of two days are divided by day, and never grouped across the divider", async ({ browser }) => {
  // The server dates messages itself, so yesterday's are made by moving today's back a day in the
  // database, which a server of this test's own lets go of between two runs.
  const adminUrl = process.env.TEST_DATABASE_URL;
  const scratch = adminUrl ? await createScratchDatabase(adminUrl) : undefined;
  let server = await startTestServer({ databaseUrl: scratch?.url });
  const dataDir = server.dataDir;
  try {
    const setup = await browser.newContext({ baseURL: server.url });
    const person = newPerson("Yuri");
    await signUpAndSignIn(setup, person);
    const channel = uniqueChannelName("days");
    const id = await createChannel(setup.request, channel);
    for (const text of ["Yesterday's first", "Yesterday's last", "Today's first", "Today's second"]) {
      await postMessage(setup.request, id, text);
    }
    await setup.close();
    await server.kill();

    await moveBackOneDay(scratch?.url ?? dataDir, id, [1, 2]);
    server = await startTestServer({ dataDir, databaseUrl: scratch?.url });
    const context = await browser.newContext({ baseURL: server.url });
    await signIn(context.request, person);
    const page = await context.newPage();
    await openChat(page, `/c/${id}`);
    await expect(storedMessage(page, "Today's second")).toBeVisible();

    const log = messageLog(page);
    await expect(log.getByRole("separator", { name: "Yesterday" })).toBeVisible();
    await expect(log.getByRole("separator", { name: "Today" })).toBeVisible();
    const order = await log
      .locator('[role="separator"], article[data-seq]')
      .evaluateAll((nodes) =>
        nodes.map((n) =>
          n.localName === "article"
            ? `${n.querySelector("p")?.textContent}${n.hasAttribute("data-continued") ? " (grouped)" : ""}`
            : `-- ${n.getAttribute("aria-label")} --`,
        ),
      );
    expect(order).toEqual([
      "-- Yesterday --",
      "Yesterday's first",
      "Yesterday's last (grouped)",
      "-- Today --",
      "Today's first",
      "Today's second (grouped)",
    ]);

    // A grouped line shows its time in the gutter on hover.
    const gutterTime = log
      .locator("div:has(> article[data-continued])", { hasText: "Today's second" })
      .locator(":scope > time");
    await expect(gutterTime).toHaveCSS("opacity", "0");
    await storedMessage(page, "Today's second").hover();
    await expect(gutterTime).toHaveCSS("opacity", "1");
    await context.close();
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
    await scratch?.drop();
  }
});

/** Dates the messages `seqs` of a conversation a day earlier, in a database no server is using. */
async function moveBackOneDay(database: string, conversationId: string, seqs: number[]): Promise<void> {
  const statement = `update messages set created_at = created_at - interval '1 day'
    where conversation_id = $1 and seq = any($2::bigint[])`;
  if (database.startsWith("postgres")) {
    const sql = postgres(database, { max: 1, onnotice: () => {} });
    await sql.unsafe(statement, [conversationId, seqs]).finally(() => sql.end({ timeout: 5 }));
    return;
  }
  const db = await PGlite.create(path.join(database, "pglite"));
  await db.query(statement, [conversationId, seqs]).finally(() => db.close());
}
