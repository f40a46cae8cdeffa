"use client";

import { createContext, useContext, useEffect, useState } from "react";
import type { User } from "@/lib/protocol";
import { createBrowserChatEngine } from "@/lib/client/engine/browser";
import type { ChatEngine } from "@/lib/client/engine/chat-engine";

type ChatContextValue = { engine: ChatEngine; workspaceName: string };

const ChatContext = createContext<ChatContextValue | null>(null);

export function useChatContext(): ChatContextValue {
  const chat = useContext(ChatContext);
  if (!chat) throw new Error("Chat hooks must be used inside ChatProvider");
  return chat;
}

/** Creates the chat engine once, runs it while mounted, and hands it to the hooks in chat-hooks.ts. */
export function ChatProvider({
  user,
  workspaceName,
  children,
}: {
  user: User;
  workspaceName: string;
  children: React.ReactNode;
}) {
  const [engine] = useState(() => createBrowserChatEngine(user));
  useEffect(() => {
    engine.start();
    return () => engine.stop();
  }, [engine]);
  const [value] = useState(() => ({ engine, workspaceName }));
  return <ChatContext.Provider value={value}>{children}</ChatContext.Provider>;
}
