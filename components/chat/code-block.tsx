"use client";

import { useEffect, useState, type ReactNode } from "react";
import { grammarName, highlight, type Highlighted } from "@/lib/markdown/highlight";
import styles from "./message-text.module.css";

type HastNode = Highlighted["children"][number];

/** Shows the code at once as plain text; colours follow when the language's grammar has loaded. */
export function CodeBlock({ lang, code }: { lang: string; code: string }) {
  const grammar = grammarName(lang);
  const [highlighted, setHighlighted] = useState<{ grammar: string; code: string; tree: Highlighted } | null>(null);
  useEffect(() => {
    if (!grammar) return;
    let live = true;
    highlight(grammar, code).then(
      (tree) => {
        if (live) setHighlighted({ grammar, code, tree });
      },
      // Without its grammar (offline, say) the block stays plain, which is still correct.
      () => {},
    );
    return () => {
      live = false;
    };
  }, [grammar, code]);
  const current = highlighted && highlighted.grammar === grammar && highlighted.code === code ? highlighted.tree : null;
  return (
    // Focusable so that a keyboard can scroll a long line sideways.
    <pre className={styles.codeBlock} tabIndex={0} data-language={grammar} data-highlighted={current ? "" : undefined}>
      <code>{current ? renderTree(current.children) : code}</code>
    </pre>
  );
}

/** The highlighter's tree holds only spans with class names and text: rendered as exactly that. */
function renderTree(nodes: readonly HastNode[]): ReactNode[] {
  return nodes.map((node, i) => {
    if (node.type === "text") return node.value;
    if (node.type !== "element") return null;
    const className = node.properties.className;
    return (
      <span key={i} className={Array.isArray(className) ? className.join(" ") : undefined}>
        {renderTree(node.children)}
      </span>
    );
  });
}
