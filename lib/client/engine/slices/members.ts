import type { Person } from "@/lib/protocol";
import type { ChatAction } from "../actions";

/** The member lists loaded (a conversation's details), by conversation id, kept live by its changes. */
export type MemberLists = Readonly<Record<string, Person[]>>;

export const membersSlice = {
  initial: {} as MemberLists,
  reduce(state: MemberLists, action: ChatAction): MemberLists {
    switch (action.type) {
      case "members-loaded":
        return { ...state, [action.conversationId]: action.members };
      case "member-changed": {
        const members = state[action.conversationId];
        if (!members) return state;
        const others = members.filter((m) => m.id !== action.userId);
        const next = action.member ? [...others, action.member].sort(byName) : others;
        return { ...state, [action.conversationId]: next };
      }
      case "conversation-left": {
        if (!state[action.conversationId]) return state;
        const { [action.conversationId]: _left, ...rest } = state;
        return rest;
      }
      default:
        return state;
    }
  },
};

const byName = (a: Person, b: Person) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1);
