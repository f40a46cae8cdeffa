/**
 * What makes a password acceptable, checked the same way by the sign-up form
 * as the person types and by the server. The strength estimate (zxcvbn) and
 * its dictionary are loaded on first use, so that only the sign-up page ever
 * downloads them.
 */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;
/** zxcvbn's 0–4 scale; 3 is "safely unguessable: moderate protection from offline slow-hash attacks". */
const MIN_SCORE = 3;

/** The rules that need no dictionary: null when they pass, else what to change. */
export function basicPasswordProblem(password: string, email: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  // \p{Z} spaces, \p{C} control and invisible formatting characters.
  if (/^[\s\p{Z}\p{C}]*$/u.test(password)) return "Use letters, digits or symbols, not only spaces.";
  const address = email.trim().toLowerCase();
  const localPart = address.split("@")[0] ?? "";
  const lowered = password.toLowerCase();
  if (address && (lowered === address || (localPart.length >= 3 && lowered.includes(localPart)))) {
    return "Do not use your email address in your password.";
  }
  return null;
}

/** Every rule, the strength estimate included: null when the password is acceptable. */
export async function passwordProblem(password: string, email: string, name = ""): Promise<string | null> {
  const basic = basicPasswordProblem(password, email);
  if (basic) return basic;
  const zxcvbn = await strengthEstimator();
  const { score, feedback } = zxcvbn.check(password, [email, email.split("@")[0] ?? "", name].filter(Boolean));
  if (score >= MIN_SCORE) return null;
  const why = feedback.warning ? warnings[feedback.warning] : undefined;
  return `${why ?? "This password is easy to guess."} Add more words or characters.`;
}

const warnings: Record<string, string> = {
  straightRow: "Rows of keys are easy to guess.",
  keyPattern: "Short keyboard patterns are easy to guess.",
  simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
  extendedRepeat: 'Repeated patterns like "abcabcabc" are easy to guess.',
  sequences: 'Sequences like "abc" or "6543" are easy to guess.',
  recentYears: "Recent years are easy to guess.",
  dates: "Dates are easy to guess.",
  topTen: "This is one of the most used passwords.",
  topHundred: "This is a very often used password.",
  common: "This is a commonly used password.",
  similarToCommon: "This is too close to a commonly used password.",
  wordByItself: "A single word is easy to guess.",
  namesByThemselves: "Names on their own are easy to guess.",
  commonNames: "Common names are easy to guess.",
  userInputs: "Do not use your name or email in your password.",
  pwned: "This password has appeared in a data breach.",
};

type Estimator = { check: (password: string, userInputs: string[]) => { score: number; feedback: Feedback } };
type Feedback = { warning: string | null };

let estimator: Promise<Estimator> | undefined;

function strengthEstimator(): Promise<Estimator> {
  estimator ??= Promise.all([import("@zxcvbn-ts/core"), import("@zxcvbn-ts/language-common")]).then(
    ([{ ZxcvbnFactory }, common]) =>
      new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs }),
  );
  // A chunk that failed to load (the network dropped) is tried again next time.
  estimator.catch(() => (estimator = undefined));
  return estimator;
}
