import { and, eq } from "drizzle-orm";
import { linkPreviewImages, linkPreviews, messages } from "@/drizzle/schema";
import { firstWebLink } from "@/lib/markdown/links";
import { linkPreviewSchema, type Change, type LinkPreview, type Message, type PreviewImage } from "@/lib/protocol";
import { changing } from "@/server/changes/changing";
import { db } from "@/server/db/client";
import { domainEvents } from "@/server/events";
import { messageOfRow } from "@/server/messages/message-rows";
import { FairQueue } from "@/server/rate-limit/fair-queue";
import { fetchPreview, type FetchPreviewOptions } from "./fetch-preview";
import { fetchPreviewImage } from "./preview-image";

/** A link's preview is fetched again after this long. */
const FRESH_MS = 24 * 60 * 60 * 1000;
/**
 * Links a process fetches at once, and for one sender; links one sender may have waiting, past which
 * that sender's new links get no preview. A fetch takes up to 5 s for the page and 5 s for its image:
 * in one line of 500, one person posting slow links at the write limit could hold everyone else's
 * previews for up to 20 minutes; now they wait at most a turn of each sender waiting.
 */
const PREVIEW_FETCHES = { active: 4, activePerKey: 2, waitingPerKey: 20 };

/**
 * Gives messages the preview of their first link, off the message path: after
 * a message is stored or edited, this process fetches the link (or finds it
 * fetched within a day), stores the preview on the message unless its sender
 * removed it, and the message's new state goes to every member through the
 * change feed. A process that stops with links waiting leaves those messages
 * without a preview. Returns a function that stops listening.
 */
export function attachLinkPreviews(options: FetchPreviewOptions = {}): () => void {
  const queue = new FairQueue(PREVIEW_FETCHES);
  const consider = (message: Message) => {
    if (message.deletedAt !== null || message.linkPreview !== null) return;
    const link = firstWebLink(message.text);
    if (!link) return;
    queue.run(message.sender.id, () => attach(message, link, options)).catch(() => {});
  };
  const onCreated = ({ message }: { message: Message }) => consider(message);
  const onChanges = (changes: Change[]) => {
    for (const { data } of changes) if (data.kind === "message") consider(data.message);
  };
  const events = domainEvents();
  events.on("message.created", onCreated);
  events.on("changes.recorded", onChanges);
  return () => {
    events.off("message.created", onCreated);
    events.off("changes.recorded", onChanges);
  };
}

async function attach(message: Message, link: string, options: FetchPreviewOptions): Promise<void> {
  const where = and(eq(messages.conversationId, message.conversationId), eq(messages.seq, message.seq));
  // Asked first as well: a removal or an edit of the message is itself a change that brings it here.
  const [now] = await db().select().from(messages).where(where);
  if (!wantsPreview(now, link)) return;
  const preview = await previewOf(link, options);
  if (!preview) return;
  await changing(async (tx, record) => {
    const [row] = await tx.select().from(messages).where(where).for("update");
    if (!wantsPreview(row, link)) return;
    const [updated] = await tx.update(messages).set({ linkPreview: preview }).where(where).returning();
    await record.conversation(message.conversationId, { kind: "message", message: await messageOfRow(tx, updated!) });
  });
}

/** Not deleted, its preview not removed by its sender, none given meanwhile, and not edited to another link. */
function wantsPreview(row: typeof messages.$inferSelect | undefined, link: string): boolean {
  return !!row && !row.deletedAt && !row.linkPreviewRemoved && !row.linkPreview && firstWebLink(row.text) === link;
}

/** The link's preview from the cache when fresh, else fetched and cached; null when it has none. */
async function previewOf(link: string, options: FetchPreviewOptions): Promise<LinkPreview | null> {
  const [cached] = await db().select().from(linkPreviews).where(eq(linkPreviews.link, link));
  if (cached && Date.now() - cached.fetchedAt.getTime() < FRESH_MS) {
    return cached.preview === null ? null : linkPreviewSchema.parse(cached.preview);
  }
  const page = await fetchPreview(link, options).catch(() => null);
  const preview = page && { ...page, image: page.imageUrl ? await keepImage(page.imageUrl, options) : null };
  await db()
    .insert(linkPreviews)
    .values({ link, preview })
    .onConflictDoUpdate({ target: linkPreviews.link, set: { preview, fetchedAt: new Date() } });
  return preview;
}

/** Parley's copy of the image a page named, kept; null when there is none to keep. */
async function keepImage(url: string, options: FetchPreviewOptions): Promise<PreviewImage | null> {
  const made = await fetchPreviewImage(url, options).catch(() => null);
  if (!made) return null;
  const { bytes, ...image } = made;
  await db().insert(linkPreviewImages).values({ id: image.id, bytes }).onConflictDoNothing();
  return image;
}
