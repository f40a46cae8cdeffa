import type { ChatAction } from "../actions";
import { createStore, type Store } from "../store";
import { connectionSlice } from "./connection";
import { conversationsSlice } from "./conversations";
import { membersSlice } from "./members";
import { messagesSlice } from "./messages";
import { outboxSlice } from "./outbox";
import { threadsSlice } from "./threads";

/** Every slice of the chat's state. A new one (presence, typing, receipts) is a file and a line here. */
const chatSlices = {
  conversations: conversationsSlice,
  messages: messagesSlice,
  members: membersSlice,
  outbox: outboxSlice,
  connection: connectionSlice,
  threads: threadsSlice,
};

export type ChatState = { [K in keyof typeof chatSlices]: (typeof chatSlices)[K]["initial"] };
export type ChatStore = Store<ChatState, ChatAction>;

export const createChatStore = (): ChatStore => createStore<ChatState, ChatAction>(chatSlices);
