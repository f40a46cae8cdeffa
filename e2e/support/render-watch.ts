import type { XssAllowlist } from "../../tests/fixtures/xss-allowlist";

/**
 * Installed in the page before any of its scripts (page.addInitScript): records every dialog or script a
 * message could run, every CSP violation, and anything unsafe that is ever rendered inside a message's
 * text, as it is added, so that a list that renders only what is on screen can be scrolled through once.
 * It runs in the page, where it can import nothing: what is allowed comes as its argument.
 */
export function watchRenderedMessages(allow: XssAllowlist): void {
  type Watch = { dialogs: string[]; csp: string[]; unsafe: string[]; seen: Record<string, true> };
  const watch: Watch = { dialogs: [], csp: [], unsafe: [], seen: {} };
  // A message is looked at again whenever it changes (a code block's colours): report each finding once.
  const flag = (finding: string) => {
    if (!watch.unsafe.includes(finding)) watch.unsafe.push(finding);
  };
  Object.assign(window, { __renderWatch: watch });
  for (const name of ["alert", "confirm", "prompt", "print", "open"] as const) {
    Object.defineProperty(window, name, {
      value: (...args: unknown[]) => {
        watch.dialogs.push(`${name}(${args.map(String).join(", ")})`);
        return null;
      },
    });
  }
  document.addEventListener("securitypolicyviolation", (e) =>
    watch.csp.push(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`),
  );

  // A code block's frame is the one element the browser adds to what the renderer makes.
  const allowedTags = new Set([...allow.tags, "div"]);
  const forbiddenTags = new Set([
    "script",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "style",
    "link",
    "meta",
    "form",
    "input",
    "img",
    "base",
    "frame",
    "frameset",
    "template",
  ]);
  const allowedAttributes = new Set(allow.attributes);
  const safeHref = new RegExp(allow.safeHref, "i");

  const inspect = (element: Element): void => {
    const text = element.closest("[data-message-text]");
    const article = element.closest("article[data-seq]");
    if (article) watch.seen[article.getAttribute("data-seq")!] = true;
    for (const attribute of Array.from(element.attributes)) {
      if (/^on/i.test(attribute.name)) flag(`${element.tagName} ${attribute.name}="${attribute.value}"`);
    }
    if (!text) return;
    const seq = article?.getAttribute("data-seq");
    const tag = element.tagName.toLowerCase();
    if (forbiddenTags.has(tag) || !allowedTags.has(tag)) flag(`message ${seq}: <${tag}>`);
    for (const { name, value } of Array.from(element.attributes)) {
      if (!allowedAttributes.has(name) && !name.startsWith("data-")) flag(`message ${seq}: ${tag} ${name}="${value}"`);
      if (name === "href" && !safeHref.test(value)) flag(`message ${seq}: href="${value}"`);
    }
  };
  const inspectTree = (node: Node): void => {
    if (!(node instanceof Element)) return;
    inspect(node);
    node.querySelectorAll("*").forEach(inspect);
  };
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === "attributes") inspectTree(record.target);
      else record.addedNodes.forEach(inspectTree);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true });
}
