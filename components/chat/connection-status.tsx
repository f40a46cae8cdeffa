"use client";

import { useChat } from "./chat-provider";
import styles from "./chat.module.css";

const labels = { connecting: "Connecting…", connected: "Connected", disconnected: "Offline: reconnecting…" };

export function ConnectionStatus() {
  const { state } = useChat();
  return (
    <span className={styles.connection} data-state={state.connection} role="status">
      <span className={styles.dot} aria-hidden />
      {labels[state.connection]}
    </span>
  );
}
