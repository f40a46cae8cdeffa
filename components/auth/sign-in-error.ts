import type { SignInResponse } from "next-auth/react";

/**
 * What to tell the person when next-auth's signIn did not sign them in. A
 * refusal for too many attempts carries its own message ("Try again in N
 * minutes"); a wrong email or password must not say which of the two it was.
 */
export function signInErrorMessage(result: SignInResponse | undefined): string {
  if (result?.status === 429 && result.error) return result.error;
  return "That email and password do not match an account.";
}
