import { describe, expect, it } from "vitest";
import { basicPasswordProblem, passwordProblem } from "@/lib/password-rules";
import { signUpInput } from "@/lib/protocol";

const email = "grace.hopper@example.test";

describe("password rules", () => {
  it("accept a long password that is hard to guess", async () => {
    expect(await passwordProblem("kettle quartz meadow 42", email, "Grace")).toBeNull();
    expect(await passwordProblem("correct horse battery", email)).toBeNull();
  });

  it("refuse fewer than 10 characters", async () => {
    expect(await passwordProblem("Zq8!vT2#k", email)).toBe("Use at least 10 characters.");
    expect(await passwordProblem("Zq8!vT2#kW", email)).toBeNull();
  });

  it("refuse passwords of only spaces or control characters", () => {
    for (const password of [" ".repeat(12), "\t\n\r ".repeat(3), "\u00a0\u2003".repeat(6), "\u0001\u200b".repeat(6)]) {
      expect(basicPasswordProblem(password, email)).toMatch(/not only spaces/);
    }
  });

  it("refuse the email, or a password holding its local part", () => {
    expect(basicPasswordProblem(email, email)).toMatch(/email/);
    expect(basicPasswordProblem(email.toUpperCase(), email)).toMatch(/email/);
    expect(basicPasswordProblem("my grace.hopper secret!", email)).toMatch(/email/);
    expect(basicPasswordProblem("grace.hopper", "")).toBeNull();
  });

  it("refuse common and guessable passwords, saying why", async () => {
    expect(await passwordProblem("password123!", email)).toMatch(/commonly used password/);
    expect(await passwordProblem("qwertyuiop", email)).toMatch(/very often used password/);
    expect(await passwordProblem("aaaaaaaaaaaa", email)).toMatch(/Repeated characters/);
    expect(await passwordProblem("Grace Hopper 1906", email, "Grace Hopper")).not.toBeNull();
  });

  it("are checked by the sign-up schema, except the strength estimate, which is asynchronous", () => {
    const parse = (password: string) => signUpInput.safeParse({ name: "Grace", email, password });
    expect(parse("kettle quartz meadow 42").success).toBe(true);
    expect(parse("short").error?.issues[0]?.message).toBe("Use at least 10 characters");
    expect(parse(" ".repeat(12)).error?.issues[0]?.message).toMatch(/not only spaces/);
    expect(parse(`${email}!`).error?.issues[0]?.message).toMatch(/email/);
  });
});
