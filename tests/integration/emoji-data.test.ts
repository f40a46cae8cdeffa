import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeEmoji } from "@/lib/emoji/catalog";
import { startTestServer, type TestServer } from "../helpers/server";

describe("the emoji picker's data", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("is served signed out, from Parley itself, with only emoji the catalog accepts", async () => {
    const res = await fetch(new URL("/emojibase/en/data.json", server.url));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const data = (await res.json()) as { emoji: string; skins?: { emoji: string }[] }[];
    const offered = data.flatMap((e) => [e.emoji, ...(e.skins ?? []).map((s) => s.emoji)]);
    expect(offered.length).toBeGreaterThan(3500);
    expect(offered.filter((e) => normalizeEmoji(e) !== e)).toEqual([]);
  });

  it("has the category and skin tone names beside it", async () => {
    const res = await fetch(new URL("/emojibase/en/messages.json", server.url));
    expect(res.status).toBe(200);
    const messages = (await res.json()) as { groups: { key: string }[]; skinTones: { key: string }[] };
    expect(messages.groups.map((g) => g.key)).toContain("smileys-emotion");
    expect(messages.skinTones).toHaveLength(5);
  });

  it("answers a HEAD with the same ETag as the GET, which the picker checks once a session", async () => {
    for (const file of ["data.json", "messages.json"]) {
      const url = new URL(`/emojibase/en/${file}`, server.url);
      const get = await fetch(url);
      await get.body?.cancel();
      const head = await fetch(url, { method: "HEAD" });
      expect(get.headers.get("etag"), file).toMatch(/^"[\w-]{20,}"$/);
      expect(head.headers.get("etag"), file).toBe(get.headers.get("etag"));
    }
  });
});
