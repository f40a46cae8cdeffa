import { readFileSync } from "node:fs";

/**
 * Connections the kernel dropped because a listening socket's accept queue
 * was full, machine-wide since boot (Linux's TcpExt ListenOverflows), or null
 * where /proc/net/netstat does not exist. Each dropped handshake costs its
 * client a TCP retransmission: one second, then two more.
 */
export function listenOverflows(): number | null {
  let text: string;
  try {
    text = readFileSync("/proc/net/netstat", "utf8");
  } catch {
    return null;
  }
  const [names, values] = text.split("\n").filter((line) => line.startsWith("TcpExt:"));
  const column = names?.split(/\s+/).indexOf("ListenOverflows") ?? -1;
  const value = column > 0 ? Number(values?.split(/\s+/)[column]) : NaN;
  return Number.isFinite(value) ? value : null;
}
