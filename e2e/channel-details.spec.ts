import { expect, test } from "@playwright/test";
import {
  createChannel,
  joinChannel,
  newPerson,
  openChat,
  signUpAndSignIn,
  storedMessage,
  uniqueChannelName,
} from "./support/chat";
import { composerOf, conversationLink, detailsPanel, heading, sendIn } from "./support/conversations";

test("channel details: members edit topic and description live; only the creator renames and archives", async ({
  browser,
}) => {
  const cora = newPerson("Cora Crane");
  const milo = newPerson("Milo Marsh");
  const contextC = await browser.newContext();
  const contextM = await browser.newContext();
  await signUpAndSignIn(contextC, cora);
  await signUpAndSignIn(contextM, milo);
  const channel = uniqueChannelName("details");
  const id = await createChannel(contextC.request, channel);
  await joinChannel(contextM.request, id);
  const creator = await contextC.newPage();
  const member = await contextM.newPage();
  await openChat(creator, `/c/${id}`);
  await openChat(member, `/c/${id}`);
  await sendIn(creator, `#${channel}`, "Kick-off notes");
  await expect(storedMessage(member, "Kick-off notes")).toBeVisible();

  await test.step("the member sets the topic; the creator sees it in the header live", async () => {
    await member.getByRole("button", { name: "Channel details" }).click();
    const panel = detailsPanel(member);
    await expect(panel.getByRole("button", { name: "Close details" })).toBeFocused();
    await panel.getByRole("button", { name: "Edit topic" }).click();
    await panel.getByRole("textbox", { name: "Topic" }).fill("Ship the beta by Friday");
    await panel.getByRole("button", { name: "Save" }).click();
    await expect(panel.getByText("Ship the beta by Friday")).toBeVisible();
    await expect(creator.getByRole("main").getByText("Ship the beta by Friday")).toBeVisible();
  });

  await test.step("the creator writes a description; the member's open panel shows it live", async () => {
    await creator.getByRole("button", { name: "Channel details" }).click();
    const panel = detailsPanel(creator);
    await panel.getByRole("button", { name: "Edit description" }).click();
    await panel.getByRole("textbox", { name: "Description" }).fill("Where the beta is planned.");
    await panel.getByRole("button", { name: "Save" }).click();
    await expect(detailsPanel(member).getByText("Where the beta is planned.")).toBeVisible();
  });

  await test.step("the member may not rename or archive; the creator may", async () => {
    const panel = detailsPanel(member);
    await expect(panel.getByRole("button", { name: "Edit topic" })).toBeVisible();
    await expect(panel.getByRole("button", { name: "Edit channel name" })).toHaveCount(0);
    await expect(panel.getByRole("button", { name: "Archive channel" })).toHaveCount(0);
    await expect(panel.getByRole("button", { name: /^Remove / })).toHaveCount(0);
    await expect(panel.getByRole("button", { name: "Leave channel" })).toBeVisible();
    await expect(detailsPanel(creator).getByRole("button", { name: "Edit channel name" })).toBeVisible();
    await expect(detailsPanel(creator).getByRole("button", { name: `Remove ${milo.name}` })).toBeVisible();
  });

  const renamed = `${channel}-v2`;
  await test.step("the creator renames it; everyone's header and sidebar follow", async () => {
    const panel = detailsPanel(creator);
    await panel.getByRole("button", { name: "Edit channel name" }).click();
    const field = panel.getByRole("textbox", { name: "Channel name" });
    await field.fill(renamed);
    await field.press("Enter");
    await expect(heading(creator, `#${renamed}`)).toBeVisible();
    await expect(heading(member, `#${renamed}`)).toBeVisible();
    await expect(conversationLink(member, renamed)).toBeVisible();
    await expect(composerOf(member, `#${renamed}`)).toBeVisible();
  });

  await test.step("the creator archives it: read-only for the member, Unarchive for the creator", async () => {
    await detailsPanel(creator).getByRole("button", { name: "Archive channel" }).click();
    const notice = member.getByRole("region", { name: "Archived channel" });
    await expect(notice).toContainText("is archived");
    await expect(composerOf(member, `#${renamed}`)).toHaveCount(0);
    await expect(notice.getByRole("button", { name: "Unarchive channel" })).toHaveCount(0);
    await expect(storedMessage(member, "Kick-off notes")).toBeVisible();
    await expect(
      creator.getByRole("region", { name: "Archived channel" }).getByRole("button", { name: "Unarchive channel" }),
    ).toBeVisible();
    await expect(detailsPanel(member).getByRole("button", { name: "Edit topic" })).toHaveCount(0);
  });

  await test.step("Escape closes the panel and gives focus back to its button", async () => {
    await detailsPanel(member).getByRole("button", { name: "Close details" }).focus();
    await member.keyboard.press("Escape");
    await expect(detailsPanel(member)).toHaveCount(0);
    await expect(member.getByRole("button", { name: "Channel details" })).toBeFocused();
  });

  await test.step("gone from the sidebar, the archived channel is found again in Browse channels", async () => {
    // Listed while it is open, it leaves the sidebar once the member goes elsewhere.
    await conversationLink(member, "general").click();
    await expect(conversationLink(member, renamed)).toHaveCount(0);
    await member.getByRole("button", { name: "Browse channels" }).click();
    const dialog = member.getByRole("dialog", { name: "Browse channels" });
    await expect(dialog.getByRole("listitem").filter({ hasText: renamed })).toHaveCount(0);
    await dialog.getByRole("checkbox", { name: "Archived channels you are in" }).check();
    const entry = dialog.getByRole("listitem").filter({ hasText: renamed });
    await expect(entry).toContainText("archived");
    await entry.getByRole("button", { name: "Open" }).click();
    await expect(member.getByRole("region", { name: "Archived channel" })).toBeVisible();
  });

  await contextC.close();
  await contextM.close();
});
