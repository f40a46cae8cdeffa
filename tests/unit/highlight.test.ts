import { describe, expect, it } from "vitest";
import { grammarName, highlight, type Highlighted } from "@/lib/markdown/highlight";

type Node = Highlighted["children"][number];
const text = (nodes: readonly Node[]): string =>
  nodes.map((n) => (n.type === "text" ? n.value : n.type === "element" ? text(n.children) : "")).join("");

describe("grammarName", () => {
  it("knows languages by name and by alias, in any case", () => {
    expect(grammarName("TypeScript")).toBe("typescript");
    expect(grammarName("ts")).toBe("typescript");
    expect(grammarName("sh")).toBe("bash");
    expect(grammarName("html")).toBe("xml");
  });

  it.each(["", "brainfuck", "constructor", "__proto__", "toString", "hasOwnProperty"])(
    "has no grammar for %j",
    (lang) => {
      expect(grammarName(lang)).toBeUndefined();
    },
  );
});

describe("highlight", () => {
  it("colours code with hljs classes and keeps its text exactly", async () => {
    const code = 'const a = "<b>x</b>"; // done\n';
    const tree = await highlight("javascript", code);
    expect(text(tree.children)).toBe(code);
    const classes = JSON.stringify(tree);
    expect(classes).toContain("hljs-keyword");
    expect(classes).toContain("hljs-string");
    expect(classes).toContain("hljs-comment");
  });
});
