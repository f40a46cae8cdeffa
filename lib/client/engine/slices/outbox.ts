import type { ChatAction } from "../actions";
import { byWritingOrder, type OutboxItem } from "../outbox-storage";

/** This person's unsent messages, from every tab, in the order they were written. */
export const outboxSlice = {
  initial: [] as OutboxItem[],
  reduce(state: OutboxItem[], action: ChatAction): OutboxItem[] {
    switch (action.type) {
      case "outbox-loaded":
        return [...action.items].sort(byWritingOrder);
      case "outbox-item-saved": {
        const { item } = action;
        const index = state.findIndex((i) => i.clientMessageId === item.clientMessageId);
        if (index === -1) return [...state, item].sort(byWritingOrder);
        return sameItem(state[index]!, item) ? state : state.with(index, item);
      }
      case "outbox-items-removed": {
        const removed = new Set(action.clientMessageIds);
        return state.some((i) => removed.has(i.clientMessageId))
          ? state.filter((i) => !removed.has(i.clientMessageId))
          : state;
      }
      default:
        return state;
    }
  },
};

function sameItem(a: OutboxItem, b: OutboxItem): boolean {
  return a.status === b.status && a.error === b.error && a.text === b.text;
}
