"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import type { Block, Inline, ListItem, Mention } from "@/lib/markdown/ast";
import { replaceShortcodes, type Shortcodes } from "@/lib/markdown/emoji";
import { CodeBlock } from "./code-block";
import styles from "./message-text.module.css";

/** What the renderer knows of the names behind mention tokens, and who is reading. */
export type MentionLookup = {
  userName(id: string): string | undefined;
  channelName(id: string): string | undefined;
  readerId: string | undefined;
};

type Context = { lookup: MentionLookup; shortcodes: Shortcodes | null };

/**
 * Parsed message text as React elements. Every string lands in a text node and every href has passed
 * isSafeHref in the parser: there is no path from a message to HTML.
 */
export function MarkdownView({
  blocks,
  lookup,
  shortcodes,
}: {
  blocks: readonly Block[];
  lookup: MentionLookup;
  shortcodes: Shortcodes | null;
}) {
  return <>{renderBlocks(blocks, { lookup, shortcodes })}</>;
}

function renderBlocks(blocks: readonly Block[], context: Context): ReactNode[] {
  return blocks.map((block, i) => renderBlock(block, i, context));
}

function renderBlock(block: Block, key: number, context: Context): ReactNode {
  switch (block.type) {
    case "paragraph":
      return (
        <p key={key} className={styles.paragraph}>
          {renderInlines(block.children, context)}
        </p>
      );
    case "codeBlock":
      return <CodeBlock key={key} lang={block.lang} code={block.text} />;
    case "quote":
      return (
        <blockquote key={key} className={styles.quote}>
          {renderBlocks(block.children, context)}
        </blockquote>
      );
    case "list": {
      const items = block.items.map((item, i) => <li key={i}>{renderItem(item, context)}</li>);
      return block.ordered ? (
        <ol key={key} className={styles.list} start={block.start === 1 ? undefined : block.start}>
          {items}
        </ol>
      ) : (
        <ul key={key} className={styles.list}>
          {items}
        </ul>
      );
    }
  }
}

/** A tight item's text sits in the item itself, as it was typed on one line. */
function renderItem(item: ListItem, context: Context): ReactNode[] {
  if (!item.tight) return renderBlocks(item.children, context);
  return item.children.map((block, i) =>
    block.type === "paragraph" ? (
      <span key={i}>{renderInlines(block.children, context)}</span>
    ) : (
      renderBlock(block, i, context)
    ),
  );
}

function renderInlines(nodes: readonly Inline[], context: Context): ReactNode[] {
  return nodes.map((node, i) => renderInline(node, i, context));
}

function renderInline(node: Inline, key: number, context: Context): ReactNode {
  switch (node.type) {
    case "text":
      return context.shortcodes ? replaceShortcodes(node.text, context.shortcodes) : node.text;
    case "strong":
      return <strong key={key}>{renderInlines(node.children, context)}</strong>;
    case "em":
      return <em key={key}>{renderInlines(node.children, context)}</em>;
    case "strike":
      return <s key={key}>{renderInlines(node.children, context)}</s>;
    case "code":
      return (
        <code key={key} className={styles.code}>
          {node.text}
        </code>
      );
    case "break":
      // A newline in text that keeps white-space: pre-wrap: shown as a line break, copied as one.
      return "\n";
    case "link":
      return (
        <a key={key} href={node.href} target="_blank" rel="noopener noreferrer">
          {renderInlines(node.children, context)}
        </a>
      );
    case "mention":
      return <MentionChip key={key} mention={node.mention} lookup={context.lookup} />;
  }
}

function MentionChip({ mention, lookup }: { mention: Mention; lookup: MentionLookup }) {
  const mentionsMe =
    mention.kind === "everyone" ||
    (mention.kind === "user" && lookup.readerId !== undefined && mention.id === lookup.readerId);
  const props = { className: styles.chip, "data-mention": mention.kind, "data-mentions-me": mentionsMe || undefined };
  if (mention.kind === "everyone") return <span {...props}>@{mention.scope}</span>;
  if (mention.kind === "user") return <span {...props}>@{lookup.userName(mention.id) ?? "unknown"}</span>;
  const name = lookup.channelName(mention.id);
  if (name === undefined) return <span {...props}>#unknown-channel</span>;
  return (
    <Link {...props} href={`/c/${mention.id}`}>
      #{name}
    </Link>
  );
}
