"use client";

import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useReducer, useRef } from "react";
import { io, type Socket } from "socket.io-client";
import type {
  ChannelListing,
  ClientToServerEvents,
  Conversation,
  ConversationStates,
  HistoryRequest,
  MessagePage,
  ServerToClientEvents,
  User,
} from "@/lib/protocol";
import { api, ApiError, retryWhenLimited } from "@/lib/client/api";
import { chatReducer, initialChatState, lastHeldSeq, skipsAhead, type ChatState } from "@/lib/client/chat-state";
import { newClientMessageId } from "@/lib/client/ids";
import { loadOutbox, saveOutbox, type OutboxItem } from "@/lib/client/outbox";
import { isSignedOut, reconnectDelay } from "@/lib/client/reconnect";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACK_TIMEOUT_MS = 10_000;

type ChatApi = {
  user: User;
  workspaceName: string;
  state: ChatState;
  openConversation: (conversationId: string) => Promise<void>;
  loadOlder: (conversationId: string) => Promise<void>;
  send: (conversationId: string, text: string) => void;
  retry: (clientMessageId: string) => void;
  discard: (clientMessageId: string) => void;
  listChannels: () => Promise<ChannelListing[]>;
  createChannel: (name: string, topic: string) => Promise<Conversation>;
  joinChannel: (conversationId: string) => Promise<Conversation>;
  leaveChannel: (conversationId: string) => Promise<void>;
};

const ChatContext = createContext<ChatApi | null>(null);

export function useChat(): ChatApi {
  const chat = useContext(ChatContext);
  if (!chat) throw new Error("useChat must be used inside ChatProvider");
  return chat;
}

/**
 * Holds the socket and everything the chat shows. The database is the truth
 * and the socket a fast path: every (re)connect sends what waits in the
 * outbox, then fetches what was missed after the last sequence number held.
 */
export function ChatProvider({
  user,
  workspaceName,
  children,
}: {
  user: User;
  workspaceName: string;
  children: React.ReactNode;
}) {
  const [state, dispatch] = useReducer(chatReducer, [], initialChatState);
  // Socket handlers outlive renders; they read the latest state through this ref.
  const stateRef = useRef(state);
  useLayoutEffect(() => {
    stateRef.current = state;
  }, [state]);
  const socketRef = useRef<ClientSocket | null>(null);
  // Created on first use, unconnected: a child's effect may ask for history before this
  // provider's effect connects.
  const getSocket = useCallback(() => {
    // Reconnection is ours (see the effect below): Socket.IO's own gives up after a refused handshake.
    socketRef.current ??= io({
      autoConnect: false,
      reconnection: false,
      transports: ["websocket", "polling"],
      tryAllTransports: true,
    });
    return socketRef.current;
  }, []);

  /**
   * History and catch-up go over the socket while it is connected: no HTTP round trip, and the
   * session was checked when it connected. Without it, over HTTP, so history shows even when the
   * realtime connection cannot be had.
   */
  const history = useCallback(
    ({ conversationId, ...page }: HistoryRequest): Promise<MessagePage> =>
      retryWhenLimited(async () => {
        const socket = getSocket();
        if (!socket.connected) {
          const query = new URLSearchParams(Object.entries(page).map(([k, v]) => [k, String(v)]));
          return api<MessagePage>(`/api/conversations/${conversationId}/messages?${query}`);
        }
        const result = await socket
          .timeout(ACK_TIMEOUT_MS)
          .emitWithAck("messages:history", { conversationId, ...page });
        if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.retryAfterSeconds);
        return result.data;
      }),
    [getSocket],
  );
  /** The newest sequence number heard live in each conversation whose history was not loaded yet. */
  const heardBeforeLoad = useRef(new Map<string, number>());
  const outboxRef = useRef<OutboxItem[]>([]);
  const flushingRef = useRef<Promise<void>>(Promise.resolve());

  const setOutbox = useCallback(
    (update: (items: OutboxItem[]) => OutboxItem[]) => {
      outboxRef.current = update(outboxRef.current);
      saveOutbox(user.id, outboxRef.current);
      dispatch({ type: "outbox-changed", outbox: outboxRef.current });
    },
    [user.id],
  );

  const fetchAfter = useCallback(
    async (conversationId: string, after: number) => {
      for (let from = after, more = true; more;) {
        const page = await history({ conversationId, after: from, limit: 200 });
        dispatch({ type: "history-loaded", conversationId, messages: page.messages });
        more = page.hasMore;
        from = page.messages[page.messages.length - 1]?.seq ?? from;
      }
    },
    [history],
  );

  /** Sends pending messages one at a time, in the order they were written. */
  const flushOutbox = useCallback(() => {
    flushingRef.current = flushingRef.current.then(async () => {
      for (const item of outboxRef.current.filter((i) => i.status === "pending")) {
        const socket = socketRef.current;
        if (!socket?.connected) return;
        let result;
        try {
          result = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("message:send", {
            conversationId: item.conversationId,
            clientMessageId: item.clientMessageId,
            text: item.text,
          });
        } catch {
          // No ack in time: the message stays pending and goes again on the next connect.
          return;
        }
        if (result.ok) {
          dispatch({ type: "messages-received", conversationId: item.conversationId, messages: [result.data] });
          setOutbox((items) => items.filter((i) => i.clientMessageId !== item.clientMessageId));
        } else {
          setOutbox((items) =>
            items.map((i) =>
              i.clientMessageId === item.clientMessageId ? { ...i, status: "failed", error: result.error.message } : i,
            ),
          );
        }
      }
    });
    return flushingRef.current;
  }, [setOutbox]);

  const loadConversations = useCallback(async () => {
    const { conversations } = await api<{ conversations: Conversation[] }>("/api/conversations");
    dispatch({ type: "conversations-loaded", conversations });
  }, []);

  /** After a connect: fetch what was missed, only where the server has more than this client holds. */
  const catchUp = useCallback(
    (states: ConversationStates) => {
      for (const { id, lastSeq } of states) {
        const held = lastHeldSeq(stateRef.current, id);
        if (held !== null && lastSeq > held) void fetchAfter(id, held).catch(() => {});
      }
    },
    [fetchAfter],
  );

  useEffect(() => {
    outboxRef.current = loadOutbox(user.id);
    dispatch({ type: "outbox-changed", outbox: outboxRef.current });
    // The sidebar does not wait for the socket.
    void loadConversations().catch(() => {});

    const socket = getSocket();
    /**
     * Every failure to connect, and every loss of the connection the client did not ask for, is
     * retried with a growing, jittered delay: a server in trouble (its database down) refuses the
     * handshake, and Socket.IO would then leave the page offline until a reload. Only a handshake
     * refused as unauthorized, a session that is over, sends the page to sign in instead.
     */
    let failures = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connectLater = () => {
      clearTimeout(retry);
      retry = setTimeout(() => socket.connect(), reconnectDelay(failures++));
    };
    const connectNow = () => {
      if (socket.connected) return;
      clearTimeout(retry);
      failures = 0;
      socket.connect();
    };
    // Back online: no need to wait out the delay.
    window.addEventListener("online", connectNow);
    socket.on("connect", () => {
      failures = 0;
      dispatch({ type: "connection-changed", connection: "connected" });
      // Memberships may have changed while away, so the sidebar reloads; conversations:sync says what to fetch.
      void flushOutbox()
        .then(loadConversations)
        .catch(() => {});
    });
    socket.on("disconnect", (reason) => {
      dispatch({ type: "connection-changed", connection: "disconnected" });
      if (reason === "io client disconnect") return;
      // The server let go of this socket on purpose: its session ended (signed out elsewhere, expired),
      // or the server dropped it for another reason.
      if (reason === "io server disconnect") {
        api("/api/me").then(connectLater, (error: unknown) =>
          error instanceof ApiError && error.code === "unauthorized"
            ? window.location.assign("/signin")
            : connectLater(),
        );
        return;
      }
      connectLater();
    });
    socket.on("connect_error", (error) => {
      dispatch({ type: "connection-changed", connection: "disconnected" });
      if (isSignedOut(error)) window.location.assign("/signin");
      else connectLater();
    });
    socket.on("messages:new", (messages) => {
      const [first] = messages;
      if (!first) return;
      const { conversationId } = first;
      const last = lastHeldSeq(stateRef.current, conversationId);
      if (last === null) {
        const newest = messages.at(-1)?.seq ?? 0;
        heardBeforeLoad.current.set(conversationId, Math.max(newest, heardBeforeLoad.current.get(conversationId) ?? 0));
      }
      dispatch({ type: "messages-received", conversationId, messages });
      const sentHere = new Set(messages.filter((m) => m.sender.id === user.id).map((m) => m.clientMessageId));
      if (sentHere.size > 0) setOutbox((items) => items.filter((i) => !sentHere.has(i.clientMessageId)));
      if (last !== null && skipsAhead(last, messages)) void fetchAfter(conversationId, last).catch(() => {});
    });
    socket.on("conversation:joined", (conversation) => dispatch({ type: "conversation-joined", conversation }));
    socket.on("conversation:left", ({ conversationId }) => dispatch({ type: "conversation-left", conversationId }));
    socket.on("conversations:sync", catchUp);
    socket.connect();
    return () => {
      clearTimeout(retry);
      window.removeEventListener("online", connectNow);
      socket.disconnect();
      socketRef.current = null;
    };
  }, [user.id, getSocket, flushOutbox, loadConversations, catchUp, fetchAfter, setOutbox]);

  const openConversation = useCallback(
    async (conversationId: string) => {
      if (stateRef.current.histories[conversationId]) return;
      const page = await history({ conversationId });
      dispatch({ type: "history-loaded", conversationId, messages: page.messages, hasOlder: page.hasMore });
      // A live message that arrived while the page was read was not kept (there was no history to add it
      // to), and the page may have been read before it was stored: fetch what came after the page.
      const newest = page.messages.at(-1)?.seq ?? 0;
      const heard = heardBeforeLoad.current.get(conversationId) ?? 0;
      heardBeforeLoad.current.delete(conversationId);
      if (heard > newest) await fetchAfter(conversationId, newest);
    },
    [history, fetchAfter],
  );

  const loadOlder = useCallback(
    async (conversationId: string) => {
      const first = stateRef.current.histories[conversationId]?.messages[0];
      if (!first) return;
      const page = await history({ conversationId, before: first.seq });
      dispatch({ type: "history-loaded", conversationId, messages: page.messages, hasOlder: page.hasMore });
    },
    [history],
  );

  const send = useCallback(
    (conversationId: string, text: string) => {
      const item: OutboxItem = {
        clientMessageId: newClientMessageId(),
        conversationId,
        text,
        createdAt: new Date().toISOString(),
        status: "pending",
      };
      setOutbox((items) => [...items, item]);
      void flushOutbox();
    },
    [setOutbox, flushOutbox],
  );

  const retry = useCallback(
    (clientMessageId: string) => {
      setOutbox((items) =>
        items.map((i) => (i.clientMessageId === clientMessageId ? { ...i, status: "pending", error: undefined } : i)),
      );
      void flushOutbox();
    },
    [setOutbox, flushOutbox],
  );

  const discard = useCallback(
    (clientMessageId: string) => setOutbox((items) => items.filter((i) => i.clientMessageId !== clientMessageId)),
    [setOutbox],
  );

  const chat = useMemo<ChatApi>(
    () => ({
      user,
      workspaceName,
      state,
      openConversation,
      loadOlder,
      send,
      retry,
      discard,
      listChannels: async () => (await api<{ channels: ChannelListing[] }>("/api/channels")).channels,
      createChannel: async (name, topic) => {
        const { conversation } = await api<{ conversation: Conversation }>("/api/channels", { body: { name, topic } });
        dispatch({ type: "conversation-joined", conversation });
        return conversation;
      },
      joinChannel: async (conversationId) => {
        const { conversation } = await api<{ conversation: Conversation }>(`/api/channels/${conversationId}/join`, {
          method: "POST",
        });
        dispatch({ type: "conversation-joined", conversation });
        return conversation;
      },
      leaveChannel: async (conversationId) => {
        await api(`/api/channels/${conversationId}/leave`, { method: "POST" });
        dispatch({ type: "conversation-left", conversationId });
      },
    }),
    [user, workspaceName, state, openConversation, loadOlder, send, retry, discard],
  );

  return <ChatContext.Provider value={chat}>{children}</ChatContext.Provider>;
}
