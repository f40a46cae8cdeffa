import { expect, test as setup } from "@playwright/test";
import { channelLink, conversationTitle, expectConnected, newPerson, sidebar, WORKSPACE_NAME } from "./support/chat";

// Runs once before the specs (project "setup"), on the server's fresh database.
setup("the first person on a fresh install creates the workspace and becomes its admin", async ({ page }) => {
  const workspace = (await (await page.request.get("/api/workspace")).json()) as { needsSetup: boolean };
  setup.skip(!workspace.needsSetup, "The workspace already exists: this server is not a fresh install");

  const admin = newPerson("Ada Admin");
  await page.goto("/");
  await expect(page).toHaveURL(/\/signup$/);
  await expect(page.getByRole("heading", { name: "Set up Parley" })).toBeVisible();
  await page.getByLabel("Workspace name").fill(WORKSPACE_NAME);
  await page.getByLabel("Your name").fill(admin.name);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Create workspace" }).click();

  await expect(page).toHaveURL(/\/c\/[0-9a-f-]{36}$/);
  await expectConnected(page);
  await expect(sidebar(page).getByRole("heading", { name: WORKSPACE_NAME })).toBeVisible();
  await expect(channelLink(page, "general")).toBeVisible();
  await expect(conversationTitle(page, "general")).toBeVisible();

  const me = (await (await page.request.get("/api/me")).json()) as { user: { role: string } };
  expect(me.user.role).toBe("admin");
});
