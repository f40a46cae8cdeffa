import { expect, test } from "@playwright/test";
import {
  channelLink,
  composer,
  conversationTitle,
  createChannel,
  expectConnected,
  newPerson,
  sidebar,
  signUpAndSignIn,
  storedMessage,
  uniqueChannelName,
} from "./support/chat";

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

test("on a phone: sign in, open the channel drawer, switch channel and send a message", async ({ browser, page }) => {
  const person = newPerson("Gus");
  const channel = uniqueChannelName("mobile");
  // The account and channel exist beforehand; this browser only signs in.
  const setup = await browser.newContext();
  await signUpAndSignIn(setup, person);
  const id = await createChannel(setup.request, channel);
  await setup.close();

  await page.goto("/signin");
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).tap();
  await expect(page).toHaveURL(/\/c\/[0-9a-f-]{36}$/);
  await expectConnected(page);
  await expect(conversationTitle(page, "general")).toBeVisible();

  // The drawer is closed: the channel list is hidden.
  const openDrawer = page.getByRole("button", { name: "Open channel list" });
  await expect(openDrawer).toBeVisible();
  await expect(openDrawer).toHaveAttribute("aria-expanded", "false");
  await expect(sidebar(page)).toBeHidden();

  await openDrawer.tap();
  await expect(openDrawer).toHaveAttribute("aria-expanded", "true");
  await expect(sidebar(page)).toBeVisible();
  await expect(channelLink(page, channel)).toBeInViewport();
  await channelLink(page, channel).tap();

  await expect(page).toHaveURL(new RegExp(`/c/${id}$`));
  await expect(conversationTitle(page, channel)).toBeVisible();
  await expect(openDrawer).toHaveAttribute("aria-expanded", "false");
  await expect(sidebar(page)).toBeHidden();

  const box = composer(page, channel);
  await box.tap();
  await box.fill("Hello from my phone");
  await page.getByRole("button", { name: "Send message" }).tap();
  await expect(box).toHaveValue("");
  await expect(storedMessage(page, "Hello from my phone")).toBeVisible();
  await expect(storedMessage(page, "Hello from my phone")).toBeInViewport();
  await expect(page.locator("article[data-pending]")).toHaveCount(0);
});
