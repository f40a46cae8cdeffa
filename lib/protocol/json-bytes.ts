/**
 * JSON sent as a binary attachment rather than as part of the event: a large
 * answer that PostgreSQL built as JSON text (the sidebar) goes out as it is,
 * not parsed and serialized again by the server. An ArrayBuffer in a browser,
 * a Buffer (a Uint8Array) in Node.
 */
export type JsonBytes = ArrayBuffer | Uint8Array;

export function parseJsonBytes(bytes: JsonBytes): unknown {
  return JSON.parse(new TextDecoder().decode(bytes));
}
