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

  expect(cspErrors).toEqual([]);
  await sender.close();
  await reader.close();
});
