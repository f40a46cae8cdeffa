import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { storedMessage, twoInAChannel, typeAndSend } from "./support/chat";

test("a reaction picked from the picker shows live to another person, who adds theirs with a click", async ({
  browser,
}) => {
  const {
    pages: [a, b],
    channel,
    close,
  } = await twoInAChannel(browser, "react");
  await typeAndSend(a, channel, "We shipped!");
  await expect(storedMessage(b, "We shipped!")).toBeVisible();

  await test.step("Bob picks 🎉 from the picker on Alice's message", async () => {
    const message = storedMessage(b, "We shipped!");
    await message.hover();
    await message
      .getByRole("toolbar", { name: "Message actions" })
      .getByRole("button", { name: "Add reaction" })
      .click();
    const picker = b.getByRole("dialog", { name: "Pick an emoji" });
    await expect(picker).toBeVisible();
    const results = await new AxeBuilder({ page: b }).include("dialog").analyze();
    expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
    await picker.getByRole("searchbox", { name: "Search emoji" }).fill("party popper");
    await picker.getByRole("gridcell").filter({ hasText: "🎉" }).first().click();
    await expect(picker).toBeHidden();
    const pill = message.getByRole("group", { name: "Reactions" }).getByRole("button", { name: /🎉\s*1/ });
    await expect(pill).toHaveAttribute("aria-pressed", "true");
  });

  await test.step("Alice sees it live, and adds hers by clicking the pill", async () => {
    const reactions = storedMessage(a, "We shipped!").getByRole("group", { name: "Reactions" });
    const pill = reactions.getByRole("button", { name: /🎉\s*1/ });
    await expect(pill).toHaveAttribute("aria-pressed", "false");
    await expect(pill).toHaveAttribute("title", /Bob reacted/);
    await pill.click();
    await expect(reactions.getByRole("button", { name: /🎉\s*2/ })).toHaveAttribute("aria-pressed", "true");
    await expect(
      storedMessage(b, "We shipped!")
        .getByRole("group", { name: "Reactions" })
        .getByRole("button", { name: /🎉\s*2/ }),
    ).toBeVisible();
  });

  await test.step("Bob takes his back; both see one left after a reload", async () => {
    await storedMessage(b, "We shipped!")
      .getByRole("button", { name: /🎉\s*2/ })
      .click();
    await a.reload();
    await expect(
      storedMessage(a, "We shipped!")
        .getByRole("group", { name: "Reactions" })
        .getByRole("button", { name: /🎉\s*1/ }),
    ).toHaveAttribute("aria-pressed", "true");
  });

  await close();
});
