import type { LanguageFn } from "highlight.js";
import type { createLowlight } from "lowlight";

type Lowlight = ReturnType<typeof createLowlight>;
/** A highlighted code block: spans with hljs-* classes around text, never markup. */
export type Highlighted = ReturnType<Lowlight["highlight"]>;

type Loader = () => Promise<{ default: LanguageFn }>;

// One chunk per grammar, fetched the first time a code block names it: the chat page's first load
// carries none of them.
const GRAMMARS: Record<string, Loader> = {
  bash: () => import("highlight.js/lib/languages/bash"),
  c: () => import("highlight.js/lib/languages/c"),
  cpp: () => import("highlight.js/lib/languages/cpp"),
  csharp: () => import("highlight.js/lib/languages/csharp"),
  css: () => import("highlight.js/lib/languages/css"),
  diff: () => import("highlight.js/lib/languages/diff"),
  dockerfile: () => import("highlight.js/lib/languages/dockerfile"),
  go: () => import("highlight.js/lib/languages/go"),
  ini: () => import("highlight.js/lib/languages/ini"),
  java: () => import("highlight.js/lib/languages/java"),
  javascript: () => import("highlight.js/lib/languages/javascript"),
  json: () => import("highlight.js/lib/languages/json"),
  kotlin: () => import("highlight.js/lib/languages/kotlin"),
  markdown: () => import("highlight.js/lib/languages/markdown"),
  php: () => import("highlight.js/lib/languages/php"),
  python: () => import("highlight.js/lib/languages/python"),
  ruby: () => import("highlight.js/lib/languages/ruby"),
  rust: () => import("highlight.js/lib/languages/rust"),
  scss: () => import("highlight.js/lib/languages/scss"),
  sql: () => import("highlight.js/lib/languages/sql"),
  swift: () => import("highlight.js/lib/languages/swift"),
  typescript: () => import("highlight.js/lib/languages/typescript"),
  xml: () => import("highlight.js/lib/languages/xml"),
  yaml: () => import("highlight.js/lib/languages/yaml"),
};

const ALIASES: Record<string, string> = {
  sh: "bash",
  shell: "bash",
  zsh: "bash",
  "c++": "cpp",
  cs: "csharp",
  "c#": "csharp",
  patch: "diff",
  docker: "dockerfile",
  golang: "go",
  toml: "ini",
  js: "javascript",
  jsx: "javascript",
  mjs: "javascript",
  kt: "kotlin",
  md: "markdown",
  py: "python",
  rb: "ruby",
  rs: "rust",
  ts: "typescript",
  tsx: "typescript",
  html: "xml",
  svg: "xml",
  yml: "yaml",
};

/** The grammar a code block's info string names, if Parley highlights it. */
export function grammarName(lang: string): string | undefined {
  const name = lang.toLowerCase();
  const canonical = Object.hasOwn(ALIASES, name) ? ALIASES[name]! : name;
  return Object.hasOwn(GRAMMARS, canonical) ? canonical : undefined;
}

let highlighter: Promise<Lowlight> | undefined;
const loaded = new Map<string, Promise<void>>();

/** Highlights code once its grammar (and the highlighter, the first time) has arrived. */
export async function highlight(name: string, code: string): Promise<Highlighted> {
  // A chunk that failed to load (offline) is asked for again by the next code block.
  highlighter ??= import("lowlight").then(
    ({ createLowlight }) => createLowlight(),
    (error: unknown) => {
      highlighter = undefined;
      throw error;
    },
  );
  const lowlight = await highlighter;
  let grammar = loaded.get(name);
  if (!grammar) {
    grammar = GRAMMARS[name]!().then(
      (module) => lowlight.register(name, module.default),
      (error: unknown) => {
        loaded.delete(name);
        throw error;
      },
    );
    loaded.set(name, grammar);
  }
  await grammar;
  return lowlight.highlight(name, code);
}
