"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { api } from "@/lib/client/api";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@/lib/password-rules";
import styles from "./auth.module.css";
import { usePasswordCheck } from "./use-password-check";
import { signInErrorMessage } from "./sign-in-error";

/** With no workspace yet, the first person also names it and becomes its admin. */
export function SignUpForm({ workspaceName }: { workspaceName: string | null }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const creatingWorkspace = workspaceName === null;
  const check = usePasswordCheck();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email"));
    const password = String(form.get("password"));
    setBusy(true);
    setError(null);
    try {
      await api("/api/signup", {
        body: {
          name: String(form.get("name")),
          email,
          password,
          ...(creatingWorkspace ? { workspaceName: String(form.get("workspaceName")) } : {}),
        },
      });
      // A taken email gets the same answer as a new one: signing in is what tells the owner apart.
      const result = await signIn("credentials", { email, password, redirect: false });
      if (!result?.ok && result?.status === 429) throw new Error(signInErrorMessage(result));
      if (!result?.ok) {
        throw new Error("If this email already has an account, sign in with its password instead.");
      }
      window.location.assign("/");
    } catch (e) {
      setBusy(false);
      setError((e as Error).message);
    }
  };

  return (
    <main className={styles.page}>
      <form className={styles.card} onSubmit={(e) => void submit(e)} onInput={(e) => check.update(e.currentTarget)}>
        <h1>{creatingWorkspace ? "Set up Parley" : `Join ${workspaceName}`}</h1>
        {creatingWorkspace && (
          <>
            <p>You are the first here: name your workspace and you will be its admin.</p>
            <label>
              Workspace name
              <input name="workspaceName" required maxLength={80} autoFocus />
            </label>
          </>
        )}
        <label>
          Your name
          <input name="name" autoComplete="name" required maxLength={80} autoFocus={!creatingWorkspace} />
        </label>
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD_LENGTH}
            maxLength={MAX_PASSWORD_LENGTH}
            aria-describedby="password-hint"
          />
          <span id="password-hint" className={styles.hint} aria-live="polite" data-password-check={check.state}>
            {check.message}
          </span>
        </label>
        {error && (
          <p role="alert" className={styles.error}>
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? "Creating account…" : creatingWorkspace ? "Create workspace" : "Create account"}
        </button>
        {!creatingWorkspace && (
          <p>
            Already have an account? <Link href="/signin">Sign in</Link>
          </p>
        )}
      </form>
    </main>
  );
}
