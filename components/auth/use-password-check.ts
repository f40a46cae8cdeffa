import { useRef, useState } from "react";
import { MIN_PASSWORD_LENGTH, passwordProblem } from "@/lib/password-rules";

type Check = { state: "empty" | "checking" | "weak" | "ok"; message: string };

const empty: Check = { state: "empty", message: `At least ${MIN_PASSWORD_LENGTH} characters, hard to guess.` };

/**
 * The server's password rules, run as the person types: update() takes the
 * form and checks its password against its email and name. Answers that
 * arrive after a newer keystroke are dropped.
 */
export function usePasswordCheck(): Check & { update: (form: HTMLFormElement) => void } {
  const [check, setCheck] = useState<Check>(empty);
  const latest = useRef(0);

  const update = (form: HTMLFormElement) => {
    const field = (name: string) => String(new FormData(form).get(name) ?? "");
    const password = field("password");
    const run = ++latest.current;
    if (!password) {
      setCheck(empty);
      return;
    }
    setCheck((current) => (current.state === "empty" ? { state: "checking", message: "Checking…" } : current));
    void passwordProblem(password, field("email"), field("name")).then(
      (problem) => {
        if (run !== latest.current) return;
        setCheck(problem ? { state: "weak", message: problem } : { state: "ok", message: "Strong enough." });
      },
      () => {
        if (run === latest.current) setCheck(empty);
      },
    );
  };

  return { ...check, update };
}
