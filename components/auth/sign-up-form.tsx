"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { api } from "@/lib/client/api";
import styles from "./auth.module.css";

/** With no workspace yet, the first person also names it and becomes its admin. */
export function SignUpForm({ workspaceName }: { workspaceName: string | null }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const creatingWorkspace = workspaceName === null;

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
      const result = await signIn("credentials", { email, password, redirect: false });
      if (!result?.ok) throw new Error("Your account was created, but signing in failed. Try signing in.");
      window.location.assign("/");
    } catch (e) {
      setBusy(false);
      setError((e as Error).message);
    }
  };

  return (
    <main className={styles.page}>
      <form className={styles.card} onSubmit={(e) => void submit(e)}>
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
          <input name="password" type="password" autoComplete="new-password" required minLength={8} />
          <span className={styles.hint}>At least 8 characters.</span>
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
