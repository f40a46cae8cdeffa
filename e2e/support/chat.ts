import { createHash, randomUUID } from "node:crypto";
import {
  expect,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from "@playwright/test";

/** The workspace the setup project creates on the fresh install. */
export const WORKSPACE_NAME = "Acme E2E";
export const PASSWORD = "correct horse battery";

export type Person = { name: string; email: string; password: string };

/** A new person with an email no other test (or run against the same database) uses. */
export function newPerson(name: string): Person {
  const tag = randomUUID().slice(0, 8);
  return { name, email: `${name.toLowerCase().replace(/\W+/g, "-")}-${tag}@e2e.test`, password: PASSWORD };
}

/** An address of the person's own (198.18.0.0/15, set aside for tests), the same for the same person. */
function addressOf(person: Person): string {
  const digest = createHash("sha256").update(person.email).digest();
  return `198.${18 + (digest[0]! % 2)}.${digest[1]}.${digest[2]}`;
}

/** A channel name no other test uses. */
export function uniqueChannelName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * Creates the account through the API and signs the context in (its cookies are
 * the browser's), for tests that are not about signing up. workspaceName only
 * matters if the workspace does not exist yet (a test run without the setup project).
 */
export async function signUpAndSignIn(context: BrowserContext, person: Person): Promise<void> {
  const response = await context.request.post("/api/signup", {
    data: { name: person.name, email: person.email, password: person.password, workspaceName: WORKSPACE_NAME },
    headers: { "x-forwarded-for": addressOf(person) },
  });
  expect(response.status(), await response.text()).toBe(201);
  await signIn(context.request, person);
}

/** Signs in with next-auth's credentials provider, as its sign-in form does. */
/** Two people, each signed in in a browser of their own, with a new channel open: the start of a live test. */
export type TwoInAChannel = {
  /** The channel's creator and the one who joined it. */
  people: [Person, Person];
  contexts: [BrowserContext, BrowserContext];
  pages: [Page, Page];
  channel: string;
  id: string;
  close: () => Promise<void>;
};

/** The first person creates a channel named after `prefix`, the second joins it, and both open it. */
export async function twoInAChannel(
  browser: Browser,
  prefix: string,
  names: [string, string] = ["Alice", "Bob"],
): Promise<TwoInAChannel> {
  const people = names.map(newPerson) as [Person, Person];
  const contexts = (await Promise.all(names.map(() => browser.newContext()))) as [BrowserContext, BrowserContext];
  await signUpAndSignIn(contexts[0], people[0]);
  await signUpAndSignIn(contexts[1], people[1]);
  const channel = uniqueChannelName(prefix);
  const id = await createChannel(contexts[0].request, channel);
  await joinChannel(contexts[1].request, id);
  const pages = [await contexts[0].newPage(), await contexts[1].newPage()] as [Page, Page];
  for (const page of pages) await openChat(page, `/c/${id}`);
  return {
    people,
    contexts,
    pages,
    channel,
    id,
    close: async () => {
      for (const context of contexts) await context.close();
    },
  };
}

export async function signIn(request: APIRequestContext, person: Person): Promise<void> {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: person.email, password: person.password, json: "true" },
  });
  expect(response.ok(), await response.text()).toBe(true);
  const me = await request.get("/api/me");
  expect(me.status(), "signed in").toBe(200);
}

export async function createChannel(request: APIRequestContext, name: string): Promise<string> {
  const response = await request.post("/api/channels", { data: { name } });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { conversation: { id: string } }).conversation.id;
}

export async function joinChannel(request: APIRequestContext, id: string): Promise<void> {
  const response = await request.post(`/api/conversations/${id}/join`);
  expect(response.ok(), await response.text()).toBe(true);
}

export async function postMessage(request: APIRequestContext, conversationId: string, text: string): Promise<number> {
  const response = await request.post(`/api/conversations/${conversationId}/messages`, {
    data: { clientMessageId: randomUUID(), text },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { message: { seq: number } }).message.seq;
}

/** Opens a page of the chat and waits until its socket is connected. */
export async function openChat(page: Page, path = "/"): Promise<void> {
  await page.goto(path);
  await expectConnected(page);
}

/**
 * Waits for the chat's socket to be up. Longer than socket.io-client's 20 s connect timeout, so that
 * one lost handshake on a loaded machine is retried rather than failing the test.
 */
export async function expectConnected(page: Page): Promise<void> {
  await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 30_000 });
}

export function messageLog(page: Page): Locator {
  return page.getByRole("log", { name: "Messages" });
}

/** Stored messages (with a sequence number) whose text contains `text`. */
export function storedMessage(page: Page, text: string): Locator {
  return page.locator("article[data-seq]").filter({ hasText: text });
}

export function pendingMessage(page: Page, text: string): Locator {
  return page.locator('article[data-pending="pending"]').filter({ hasText: text });
}

export function composer(page: Page, channelName: string): Locator {
  return page.getByRole("combobox", { name: `Message #${channelName}` });
}

export function sidebar(page: Page): Locator {
  return page.getByRole("navigation", { name: "Channels" });
}

export function channelLink(page: Page, channelName: string): Locator {
  return sidebar(page).getByRole("link", { name: channelName, exact: true });
}

export function conversationTitle(page: Page, channelName: string): Locator {
  return page.getByRole("heading", { level: 1, name: `#${channelName}`, exact: true });
}

/** Types a message and presses Enter. Lines after the first are typed after Shift+Enter. */
export async function typeAndSend(page: Page, channelName: string, text: string): Promise<void> {
  const box = composer(page, channelName);
  const [first, ...rest] = text.split("\n");
  await box.click();
  await box.pressSequentially(first ?? "");
  for (const line of rest) {
    await box.press("Shift+Enter");
    await box.pressSequentially(line);
  }
  await expect(box).toHaveValue(text);
  await box.press("Enter");
  await expect(box).toHaveValue("");
}

/** Every stored message the list shows, in the order shown: [seq, text]. */
export async function shownHistory(page: Page): Promise<[number, string][]> {
  return page
    .locator("article[data-seq]")
    .evaluateAll((articles) =>
      articles.map(
        (a) => [Number(a.getAttribute("data-seq")), a.querySelector("p")?.textContent ?? ""] as [number, string],
      ),
    );
}
