"use client";

import { useConnection } from "./chat-hooks";
import styles from "./chat.module.css";

const labels = { connecting: "Connecting…", connected: "Connected", disconnected: "Offline: reconnecting…" };

export function ConnectionStatus() {
  const connection = useConnection();
  return (
    <span className={styles.connection} data-state={connection} role="status">
      <span className={styles.dot} aria-hidden />
      {labels[connection]}
    </span>
  );
}
