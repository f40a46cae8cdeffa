import type { ChatAction, Connection } from "../actions";

export const connectionSlice = {
  initial: "connecting" as Connection,
  reduce: (state: Connection, action: ChatAction): Connection =>
    action.type === "connection-changed" ? action.connection : state,
};
