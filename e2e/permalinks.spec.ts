import { expect, test, type APIRequestContext } from "@playwright/test";
import { messageLog, newPerson, openChat, postMessage, shownHistory, signUpAndSignIn } from "./support/chat";
import { heading, openDirect, sendIn, userId } from "./support/conversations";

// Far enough back that it is in none of the pages a conversation opens on, and with each of the three
// senders within a person's 120 writes per 10 s.
const PER_SENDER = 110;
const SEEDED = 3 * PER_SENDER;
const LINKED = 12;
const text = (seq: number) => `Numbered message ${seq}`;

test("a link copied by one person opens the message far back for another, and for no one outside", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const ann = newPerson("Ann Link");
  const ben = newPerson("Ben Link");
  const dee = newPerson("Dee Link");
  const cid = newPerson("Cid Outside");
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  const contextC = await browser.newContext();
  const contextD = await browser.newContext();
  await contextA.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signUpAndSignIn(contextA, ann);
  await signUpAndSignIn(contextB, ben);
  await signUpAndSignIn(contextD, dee);
  await signUpAndSignIn(contextC, cid);
  const id = await openDirect(contextA.request, [await userId(contextB.request), await userId(contextD.request)]);
  const senders: APIRequestContext[] = [contextA.request, contextB.request, contextD.request];
  for (let seq = 1; seq <= SEEDED; seq++) {
    expect(await postMessage(senders[Math.floor((seq - 1) / PER_SENDER)]!, id, text(seq))).toBe(seq);
  }
  const [a, b, c] = await Promise.all([contextA.newPage(), contextB.newPage(), contextC.newPage()]);

  let link = "";
  await test.step("Ann scrolls back to an old message and copies its link", async () => {
    await openChat(a, `/c/${id}`);
    const old = a.locator(`article[data-seq="${LINKED}"]`);
    await expect(async () => {
      await messageLog(a).evaluate((el) => el.scrollTo({ top: 0 }));
      await expect(old).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 60_000 });
    await old.hover();
    await old.getByRole("button", { name: "Copy link to message" }).click();
    await expect(old.getByRole("status")).toHaveText("Link copied");
    link = await a.evaluate(() => navigator.clipboard.readText());
    expect(new URL(link).pathname + new URL(link).search).toBe(`/c/${id}?m=${LINKED}`);
  });

  await test.step("Ben opens it: the list opens on that message, highlighted, far from the newest", async () => {
    await openChat(b, link);
    const linked = b.locator(`article[data-seq="${LINKED}"]`);
    await expect(linked).toBeVisible();
    await expect(linked).toContainText(text(LINKED));
    await expect(linked).toHaveAttribute("data-linked", "true");
    await expect(b.locator(`article[data-seq="${SEEDED}"]`)).toHaveCount(0);
    await expect(b.getByRole("button", { name: "Jump to latest" })).toBeVisible();
  });

  await test.step("a message sent meanwhile is not added below the old ones Ben reads", async () => {
    await sendIn(a, "Ben, Dee", "Sent while Ben reads old ones");
    await expect(a.locator(`article[data-seq="${SEEDED + 1}"]`)).toBeVisible();
    await expect(b.getByRole("button", { name: "Jump to latest" })).toBeVisible();
    await expect(b.locator(`article[data-seq="${SEEDED + 1}"]`)).toHaveCount(0);
  });

  await test.step("older messages are above it; newer pages load below as Ben scrolls, to the newest", async () => {
    await expect(async () => {
      await messageLog(b).evaluate((el) => el.scrollTo({ top: 0 }));
      await expect(b.locator('article[data-seq="1"]')).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    const newest = b.locator(`article[data-seq="${SEEDED + 1}"]`);
    // As a reader does, on until the newest stays in view: the rows of a page just loaded below are measured
    // after they are first drawn, and can push the newest back under the fold (seen in CI, 2026-12-07).
    await expect(async () => {
      await messageLog(b).evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await expect(newest).toBeVisible({ timeout: 1_000 });
      await expect(newest).toContainText("Sent while Ben reads old ones", { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    const shown = (await shownHistory(b)).map(([seq]) => seq);
    expect(shown).toEqual(shown.map((_, i) => shown[0]! + i));
    await expect(b.getByRole("button", { name: "Jump to latest" })).toHaveCount(0);
  });

  await test.step("from the linked message, Jump to latest goes to the newest", async () => {
    await openChat(b, link);
    await expect(b.locator(`article[data-seq="${LINKED}"]`)).toBeVisible();
    await b.getByRole("button", { name: "Jump to latest" }).click();
    await expect(b).toHaveURL(new RegExp(`/c/${id}$`));
    await expect(b.locator(`article[data-seq="${SEEDED + 1}"]`)).toBeVisible();
    await expect(b.locator(`article[data-seq="${LINKED}"]`)).toHaveCount(0);
    await expect(b.getByRole("button", { name: "Jump to latest" })).toHaveCount(0);
  });

  await test.step("Cid, outside the conversation, gets the not-found page", async () => {
    await openChat(c, link);
    await expect(heading(c, "This conversation doesn't exist or you don't have access")).toBeVisible();
    await expect(c.locator("article[data-seq]")).toHaveCount(0);
  });

  await test.step("a link to a message that does not exist is not found either", async () => {
    await openChat(b, `/c/${id}?m=${SEEDED + 50}`);
    await expect(heading(b, "This conversation doesn't exist or you don't have access")).toBeVisible();
    await openChat(b, `/c/${id}?m=first`);
    await expect(heading(b, "This conversation doesn't exist or you don't have access")).toBeVisible();
  });

  for (const context of [contextA, contextB, contextC, contextD]) await context.close();
});
