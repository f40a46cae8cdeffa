import { expect, test, type Page } from "@playwright/test";
import { expectConnected, newPerson, openChat, signUpAndSignIn, storedMessage, typeAndSend } from "./support/chat";

test("the sign-up page says what is wrong with the password as it is typed", async ({ page }) => {
  const person = newPerson("Ivy");
  await page.goto("/signup");
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  const password = page.getByLabel("Password");
  const hint = page.locator("#password-hint");

  await password.pressSequentially("short");
  await expect(hint).toHaveText("Use at least 10 characters.");
  await password.fill("password123!");
  await expect(hint).toHaveText(/commonly used password/);
  await password.fill(`${person.email.split("@")[0]}-2024`);
  await expect(hint).toHaveText("Do not use your email address in your password.");
  await password.fill(person.password);
  await expect(hint).toHaveText("Strong enough.");

  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/c\/[0-9a-f-]{36}$/);
  await expectConnected(page);
});

test("the sign-in form says when an account has had too many wrong passwords", async ({ context, page }) => {
  const person = newPerson("Jon");
  await signUpAndSignIn(context, person);
  await context.clearCookies();
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  for (let i = 0; i < 10; i++) {
    const wrong = await page.request.post("/api/auth/callback/credentials", {
      form: { csrfToken, email: person.email, password: `wrong ${i}`, json: "true" },
    });
    expect(wrong.status()).toBe(401);
  }

  await page.goto("/signin");
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText(
    /^Too many sign-in attempts for this account\. Try again in 1[45] minutes\.$/,
  );
  await expect(page).toHaveURL(/\/signin$/);
});

/** Collects what the page's Content-Security-Policy refused, from the page's own events and its console. */
async function recordViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await page.exposeFunction("reportViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { reportViolation: (text: string) => void }).reportViolation;
      report(`${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  return violations;
}

test("the chat works under the Content-Security-Policy, which it never breaks", async ({ context, page }) => {
  const violations = await recordViolations(page);
  await signUpAndSignIn(context, newPerson("Kim"));

  const response = await page.goto("/");
  expect(response?.headers()["content-security-policy"]).toContain("'strict-dynamic'");
  await openChat(page);
  await typeAndSend(page, "general", "sent under a strict policy");
  await expect(storedMessage(page, "sent under a strict policy")).toBeVisible();

  await context.clearCookies();
  await page.goto("/signin");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await page.goto("/signup");
  await page.getByLabel("Password").pressSequentially("kettle quartz");
  await expect(page.locator("#password-hint")).not.toHaveText("Checking…");
  expect(violations).toEqual([]);
});
