import { expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { sidebar, type Person } from "./chat";

/** A conversation in the sidebar by the name it shows ("general", "Ann", "Ann, Ben"). */
export function conversationLink(page: Page, label: string): Locator {
  return sidebar(page).getByRole("link", { name: label, exact: true });
}

export function heading(page: Page, title: string): Locator {
  return page.getByRole("heading", { level: 1, name: title, exact: true });
}

/** The composer of the open conversation, by its title ("#plans", "Ann"). */
export function composerOf(page: Page, title: string): Locator {
  return page.getByRole("combobox", { name: `Message ${title}`, exact: true });
}

export async function sendIn(page: Page, title: string, text: string): Promise<void> {
  const box = composerOf(page, title);
  await box.fill(text);
  await box.press("Enter");
  await expect(box).toHaveValue("");
}

export async function userId(request: APIRequestContext): Promise<string> {
  const response = await request.get("/api/me");
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { user: { id: string } }).user.id;
}

/** Opens (or finds again) the direct or group message with these people through the API. */
export async function openDirect(request: APIRequestContext, userIds: string[]): Promise<string> {
  const response = await request.post("/api/conversations/direct", { data: { userIds } });
  expect(response.ok(), await response.text()).toBe(true);
  return ((await response.json()) as { conversation: { id: string } }).conversation.id;
}

/**
 * Chooses each person in an open people picker with the keyboard: types their email (unique to them),
 * waits for them among the results and presses Enter, which adds the first result as a chip.
 */
export async function choosePeople(dialog: Locator, people: Person[]): Promise<void> {
  const field = dialog.getByRole("combobox", { name: "Find people by name or email" });
  for (const person of people) {
    await field.fill(person.email);
    await expect(dialog.getByRole("option", { selected: true })).toContainText(person.email);
    await field.press("Enter");
    await expect(dialog.getByRole("list", { name: "Chosen" })).toContainText(person.name);
    await expect(field).toHaveValue("");
  }
}

/** Starts a conversation from the "New message" button in the sidebar and waits for it to open. */
export async function startConversation(page: Page, people: Person[]): Promise<void> {
  const before = page.url();
  await sidebar(page).getByRole("button", { name: "New message", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "New message" });
  await expect(dialog).toBeVisible();
  await choosePeople(dialog, people);
  await dialog.getByRole("combobox").press("Enter");
  await expect(dialog).toBeHidden();
  await expect(page).not.toHaveURL(before);
  await expect(page).toHaveURL(/\/c\/[0-9a-f-]{36}$/);
}

export function detailsPanel(page: Page): Locator {
  return page.getByRole("complementary");
}
