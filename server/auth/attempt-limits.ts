import { rateLimiter } from "@/server/rate-limit/rate-limiter";

const FIFTEEN_MINUTES = 15 * 60;
const HOUR = 60 * 60;

// Far above what a team does by hand, even one office behind one address on its first day.
const signInsByAccount = rateLimiter({
  name: "sign-in:account",
  points: 10,
  windowSeconds: FIFTEEN_MINUTES,
  message: "Too many sign-in attempts for this account.",
});
const signInsByAddress = rateLimiter({
  name: "sign-in:address",
  points: 100,
  windowSeconds: FIFTEEN_MINUTES,
  message: "Too many sign-in attempts from your network.",
});
const signUpsByAccount = rateLimiter({
  name: "sign-up:account",
  points: 10,
  windowSeconds: HOUR,
  message: "Too many sign-up attempts for this email.",
});
const signUpsByAddress = rateLimiter({
  name: "sign-up:address",
  points: 30,
  windowSeconds: HOUR,
  message: "Too many sign-ups from your network.",
});

export type Attempt = { email: string; address: string };

const accountKey = (email: string) => email.trim().toLowerCase();

/**
 * Spent before the password is checked, so that a burst of guesses is refused
 * before it reaches argon2; a successful sign-in gives its points back, so the
 * limits count failures.
 */
export async function spendSignInAttempt({ email, address }: Attempt): Promise<void> {
  await signInsByAddress.consume(address);
  await signInsByAccount.consume(accountKey(email));
}

export async function refundSignInAttempt({ email, address }: Attempt): Promise<void> {
  await Promise.all([signInsByAddress.reward(address), signInsByAccount.reward(accountKey(email))]);
}

export async function spendSignUpAttempt({ email, address }: Attempt): Promise<void> {
  await signUpsByAddress.consume(address);
  await signUpsByAccount.consume(accountKey(email));
}
