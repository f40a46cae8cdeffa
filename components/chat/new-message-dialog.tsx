"use client";

import { useRouter } from "next/navigation";
import type { RefObject } from "react";
import { MAX_GROUP_SIZE } from "@/lib/protocol";
import { useChatActions, useMe } from "./chat-hooks";
import { PeoplePickerDialog } from "./people-picker-dialog";

const MAX_OTHERS = MAX_GROUP_SIZE - 1;

/**
 * Starts a conversation with the people chosen, or finds it again: one person a direct message, two to
 * eight a group, yourself alone your notepad.
 */
export function NewMessageDialog({
  dialogRef,
  onNavigate,
}: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  onNavigate: () => void;
}) {
  const { openDirect } = useChatActions();
  const me = useMe();
  const router = useRouter();
  return (
    <PeoplePickerDialog
      dialogRef={dialogRef}
      title="New message"
      hint={`Choose one person for a direct message, or up to ${MAX_OTHERS} for a group.`}
      submitLabel="Go"
      limit={MAX_OTHERS}
      limitMessage={`A group has at most ${MAX_OTHERS} other people: make a channel for more.`}
      onSubmit={async (people) => {
        // Yourself among others is left out: you are in every conversation you start.
        const others = people.map((p) => p.id).filter((id) => id !== me.id);
        const conversation = await openDirect(others.length > 0 ? others : [me.id]);
        onNavigate();
        router.push(`/c/${conversation.id}`);
      }}
    />
  );
}
