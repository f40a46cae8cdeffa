import { expect, test } from "@playwright/test";
import {
  channelLink,
  composer,
  conversationTitle,
  createChannel,
  newPerson,
  openChat,
  sidebar,
  signUpAndSignIn,
  uniqueChannelName,
} from "./support/chat";

test.describe("on a desktop", () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test("the composer has focus when a conversation opens and after switching conversations", async ({
    context,
    page,
  }) => {
    await signUpAndSignIn(context, newPerson("Fay"));
    const channel = uniqueChannelName("focus");
    await createChannel(context.request, channel);

    await openChat(page, "/");
    await expect(conversationTitle(page, "general")).toBeVisible();
    await expect(composer(page, "general")).toBeFocused();

    await channelLink(page, channel).click();
    await expect(conversationTitle(page, channel)).toBeVisible();
    await expect(composer(page, channel)).toBeFocused();

    await page.keyboard.type("typed straight away");
    await expect(composer(page, channel)).toHaveValue("typed straight away");
  });
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("opening a conversation does not focus the composer (no keyboard pops up)", async ({ context, page }) => {
    await signUpAndSignIn(context, newPerson("Pia"));
    await openChat(page, "/");
    await expect(conversationTitle(page, "general")).toBeVisible();
    await expect(composer(page, "general")).toBeVisible();
    await expect(composer(page, "general")).not.toBeFocused();
  });

  test("Escape closes the channel drawer and gives focus back to the button that opened it", async ({
    context,
    page,
  }) => {
    await signUpAndSignIn(context, newPerson("Ezra"));
    await openChat(page, "/");
    const openDrawer = page.getByRole("button", { name: "Open channel list" });
    await openDrawer.focus();
    await page.keyboard.press("Enter");
    await expect(sidebar(page)).toBeVisible();
    await expect(openDrawer).toHaveAttribute("aria-expanded", "true");

    await channelLink(page, "general").focus();
    await page.keyboard.press("Escape");
    await expect(sidebar(page)).toBeHidden();
    await expect(openDrawer).toHaveAttribute("aria-expanded", "false");
    await expect(openDrawer).toBeFocused();
  });
});
