import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./server";

export type RouteFile = {
  /** The URL path with its dynamic segments as written, e.g. /api/conversations/[id]. */
  path: string;
  /** The HTTP methods the file exports, e.g. ["GET", "PATCH"]. */
  methods: string[];
};

const METHODS = "GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS";
const exportedHandler = new RegExp(`export\\s+(?:const|async\\s+function|function)\\s+(${METHODS})\\b`, "g");
const exportList = /export\s*\{([^}]*)\}/g;
const renamedToMethod = new RegExp(`\\bas\\s+(${METHODS})\\b|^\\s*(${METHODS})\\s*$`);

/** Every page and route handler under app/, found by walking the directory as Next does. */
export function appFiles(): { pages: string[]; routes: RouteFile[] } {
  const pages: string[] = [];
  const routes: RouteFile[] = [];
  const visit = (dir: string, segments: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file, [...segments, entry.name]);
      else if (/^page\.[jt]sx?$/.test(entry.name)) pages.push(`/${segments.join("/")}`);
      else if (/^route\.[jt]sx?$/.test(entry.name)) {
        routes.push({ path: `/${segments.join("/")}`, methods: exportedMethods(readFileSync(file, "utf8")) });
      }
    }
  };
  visit(path.join(repoRoot, "app"), []);
  return { pages, routes };
}

/** The method names a route file exports, declared (`export const GET`) or re-exported (`export { x as GET }`). */
export function exportedMethods(source: string): string[] {
  const methods = [...source.matchAll(exportedHandler)].map((m) => m[1]!);
  for (const [, list] of source.matchAll(exportList)) {
    for (const item of list!.split(",")) {
      const match = renamedToMethod.exec(item);
      if (match) methods.push((match[1] ?? match[2])!);
    }
  }
  return [...new Set(methods)].sort();
}

/** "METHOD /path" for every handler under app/api. */
export function apiRouteKeys(): string[] {
  return appFiles()
    .routes.filter((r) => r.path.startsWith("/api/"))
    .flatMap((r) => r.methods.map((m) => `${m} ${r.path}`))
    .sort();
}
