import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import {
  createChannel,
  joinChannel,
  newPerson,
  openChat,
  signUpAndSignIn,
  storedMessage,
  typeAndSend,
  uniqueChannelName,
} from "./support/chat";

test("a formatted message sent by one person shows formatted to another, live, under the CSP", async ({ browser }) => {
  const sender = await browser.newContext();
  const reader = await browser.newContext();
  await signUpAndSignIn(sender, newPerson("Ada"));
  await signUpAndSignIn(reader, newPerson("Linus"));
  const channel = uniqueChannelName("format");
  const id = await createChannel(sender.request, channel);
  await joinChannel(reader.request, id);

  const readerId = ((await (await reader.request.get("/api/me")).json()) as { user: { id: string } }).user.id;

  const a = await sender.newPage();
  const b = await reader.newPage();
  const cspErrors: string[] = [];
  for (const page of [a, b]) {
    page.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
    });
  }
  await openChat(a, `/c/${id}`);
  await openChat(b, `/c/${id}`);

  const text = [
    "**Release** notes, _today_ :tada:",
    "```ts",
    "const answer: number = 42;",
    "```",
    "- first item",
    "- second item",
    "> quoted line",
    `ping <@${readerId}> in <#${id}>`,
    "see https://example.com/notes",
  ].join("\n");
  await typeAndSend(a, channel, text);

  const message = storedMessage(b, "Release").locator("[data-message-text]");
  await test.step("the reader sees each piece formatted", async () => {
    await expect(message.locator("strong")).toHaveText("Release");
    await expect(message.locator("em")).toHaveText("today");
    await expect(message.locator("li")).toHaveText(["first item", "second item"]);
    await expect(message.locator("blockquote")).toHaveText("quoted line");
    const link = message.getByRole("link", { name: "https://example.com/notes" });
    await expect(link).toHaveAttribute("href", "https://example.com/notes");
    await expect(link).toHaveAttribute("rel", "noopener noreferrer");
    await expect(link).toHaveAttribute("target", "_blank");
    await expect(message).toContainText("today 🎉");
  });

  await test.step("mentions are chips: the reader's own one marked, the channel one a link", async () => {
    const me = message.locator('[data-mention="user"]');
    await expect(me).toHaveText("@Linus");
    await expect(me).toHaveAttribute("data-mentions-me", "true");
    const channelChip = message.locator('[data-mention="channel"]');
    await expect(channelChip).toHaveText(`#${channel}`);
    await expect(channelChip).toHaveAttribute("href", `/c/${id}`);
  });

  await test.step("the code block shows its code and gains colours once its grammar has loaded", async () => {
    const code = message.locator("pre");
    await expect(code).toHaveText("const answer: number = 42;\n");
    await expect(code).toHaveAttribute("data-highlighted", "");
    await expect(code.locator(".hljs-keyword").first()).toHaveText("const");
    const colour = await code
      .locator(".hljs-keyword")
      .first()
      .evaluate((el) => getComputedStyle(el).color);
    const plain = await code.evaluate((el) => getComputedStyle(el).color);
    expect(colour).not.toBe(plain);
  });

  await test.step("the sender sees the same", async () => {
    await expect(storedMessage(a, "Release").locator("[data-message-text] pre .hljs-keyword").first()).toHaveText(
      "const",
    );
  });

  await test.step("the formatted message has no serious accessibility violation, contrast included, in either theme", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      await b.emulateMedia({ colorScheme });
      const { violations } = await new AxeBuilder({ page: b }).include("[data-message-text]").analyze();
      const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(
        serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
        colorScheme,
      ).toEqual([]);
    }
  });

  expect(cspErrors).toEqual([]);
  await sender.close();
  await reader.close();
});
