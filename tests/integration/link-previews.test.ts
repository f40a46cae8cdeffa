import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "@/lib/protocol";
import { createChannel, fullHistory, joinChannel, sendMessage, uniqueChannelName } from "../helpers/chat";
import { api, expectError, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { openTestSql } from "../helpers/test-db";
import { captureChanges, connectSocket, emitWithAck, type ClientSocket } from "../helpers/socket";

/** Pages on 127.0.0.2, the one address outside the public internet this server's previews may fetch. */
const PAGE_HOST = "127.0.0.2";

describe("link previews", () => {
  let pages: Server;
  let pageBase: string;
  const hits = new Map<string, number>();
  /** Requests for /hold/<n>, answered only once a test lets them go; `gaveUp` counts those the server closed. */
  const held = { responses: [] as ServerResponse[], gaveUp: 0, letGo: false };
  let server: TestServer;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let aliceSocket: ClientSocket;
  let bobSocket: ClientSocket;
  let channel: string;

  const page = (title: string) =>
    `<!doctype html><html><head><title>${title}</title>` +
    `<meta property="og:description" content="About ${title}"><meta property="og:site_name" content="Pages">` +
    `</head><body>${title}</body></html>`;

  /** What /img/<name> answers: an image of the page server, or a redirect elsewhere. */
  const images = new Map<string, { headers: Record<string, string | number>; body?: Buffer }>();
  /** /imaged/<name> is a page whose image is /img/<name>. */
  const imagedPage = (name: string) =>
    `<!doctype html><html><head><title>imaged ${name}</title>` +
    `<meta property="og:image" content="${pageBase}/img/${name}"></head><body></body></html>`;

  beforeAll(async () => {
    pages = createServer((req, res) => {
      const path = req.url ?? "/";
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const image = images.get(path.replace(/^\/img\//, ""));
      if (path.startsWith("/img/") && image) {
        res.writeHead(image.body ? 200 : 302, image.headers);
        res.end(image.body);
        return;
      }
      if (path.startsWith("/hold/") && !held.letGo) {
        held.responses.push(res);
        res.on("close", () => {
          if (!res.writableEnded) held.gaveUp++;
        });
        return;
      }
      if (path.startsWith("/imaged/")) {
        res.writeHead(200, { "content-type": "text/html" });
        res.end(imagedPage(path.slice("/imaged/".length)));
        return;
      }
      const delay = path.startsWith("/slow") ? 1_500 : 0;
      setTimeout(() => {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(page(path.slice(1)));
      }, delay);
    });
    await new Promise<void>((resolve) => pages.listen(0, PAGE_HOST, resolve));
    pageBase = `http://${PAGE_HOST}:${(pages.address() as AddressInfo).port}`;
    server = await startTestServer({
      env: { SOCKET_WRITES_PER_SECOND: "1000", LINK_PREVIEW_ALLOWED_ADDRESSES: PAGE_HOST },
    });
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    bob = await signUpAndSignIn(server.url, { name: "Bob" });
    channel = (await createChannel(server.url, alice.cookie, uniqueChannelName("links"))).id;
    await joinChannel(server.url, bob.cookie, channel);
    aliceSocket = await connectSocket(server.url, alice.cookie);
    bobSocket = await connectSocket(server.url, bob.cookie);
  });
  afterAll(async () => {
    aliceSocket?.close();
    bobSocket?.close();
    await server?.close();
    await new Promise((resolve) => pages?.close(resolve));
  });

  const stored = async (seq: number): Promise<Message | undefined> =>
    (await fullHistory(server.url, bob.cookie, channel)).find((m) => m.seq === seq);

  it("previews a message's first link after it is stored, live to every member and in history", async () => {
    const heard = captureChanges(bobSocket, "message");
    const sent = await sendMessage(aliceSocket, channel, `look: ${pageBase}/first and ${pageBase}/second`);
    expect(sent.linkPreview).toBeNull();
    await expect
      .poll(() => heard.events.find((c) => c.data.message.seq === sent.seq)?.data.message.linkPreview)
      .toEqual({
        url: `${pageBase}/first`,
        title: "first",
        description: "About first",
        imageUrl: null,
        siteName: "Pages",
        image: null,
      });
    expect((await stored(sent.seq))?.linkPreview?.title).toBe("first");
    expect(hits.get("/second")).toBeUndefined();
  });

  it("answers the send before the page is fetched", async () => {
    const started = Date.now();
    const sent = await sendMessage(aliceSocket, channel, `${pageBase}/slow-page`);
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect.poll(async () => (await stored(sent.seq))?.linkPreview?.title, { timeout: 10_000 }).toBe("slow-page");
  });

  it("fetches a link once however often it is posted", async () => {
    const a = await sendMessage(aliceSocket, channel, `${pageBase}/popular`);
    await expect.poll(async () => (await stored(a.seq))?.linkPreview?.title).toBe("popular");
    const b = await sendMessage(bobSocket, channel, `again ${pageBase}/popular`);
    await expect.poll(async () => (await stored(b.seq))?.linkPreview?.title).toBe("popular");
    expect(hits.get("/popular")).toBe(1);
  });

  it("never fetches an address outside the public internet that is not allowed", async () => {
    // A page that would preview well, on loopback's usual address, which is not allowed.
    let internalHits = 0;
    const internal = createServer((_, res) => {
      internalHits += 1;
      res.writeHead(200, { "content-type": "text/html" });
      res.end(page("internal"));
    });
    await new Promise<void>((resolve) => internal.listen(0, "127.0.0.1", resolve));
    try {
      const port = (internal.address() as AddressInfo).port;
      const sent = await sendMessage(aliceSocket, channel, `http://127.0.0.1:${port}/internal`);
      const metadata = await sendMessage(aliceSocket, channel, "http://169.254.169.254/latest/meta-data");
      const later = await sendMessage(aliceSocket, channel, `${pageBase}/after-internal`);
      await expect.poll(async () => (await stored(later.seq))?.linkPreview?.title).toBe("after-internal");
      expect((await stored(sent.seq))?.linkPreview).toBeNull();
      expect((await stored(metadata.seq))?.linkPreview).toBeNull();
      expect(internalHits).toBe(0);
    } finally {
      await new Promise((resolve) => internal.close(resolve));
    }
  });

  it("shows the page's image as Parley's own small copy, to people signed in", async () => {
    const photo = await sharp({ create: { width: 800, height: 400, channels: 3, background: "#36c" } })
      .png()
      .toBuffer();
    images.set("photo.png", { headers: { "content-type": "image/png" }, body: photo });
    const sent = await sendMessage(aliceSocket, channel, `${pageBase}/imaged/photo.png`);
    await expect
      .poll(async () => (await stored(sent.seq))?.linkPreview?.image)
      .toEqual({
        id: expect.stringMatching(/^[\w-]{43}$/),
        width: 360,
        height: 180,
      });
    const { id } = (await stored(sent.seq))!.linkPreview!.image!;
    const path = `/api/link-previews/images/${id}`;

    const served = await fetch(`${server.url}${path}`, { headers: { cookie: bob.cookie } });
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/webp");
    expect(served.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    const copy = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
    expect({ format: copy.format, width: copy.width, height: copy.height }).toEqual({
      format: "webp",
      width: 360,
      height: 180,
    });
    // Posted again, the page and its image are not fetched again.
    const again = await sendMessage(aliceSocket, channel, `${pageBase}/imaged/photo.png`);
    await expect.poll(async () => (await stored(again.seq))?.linkPreview?.image?.id).toBe(id);
    expect(hits.get("/img/photo.png")).toBe(1);

    expectError(await api(server.url).request("GET", path), 401, "unauthorized");
    for (const unknown of ["nope", "A".repeat(43), `${id}x`]) {
      expectError(
        await api(server.url, bob.cookie).request("GET", `/api/link-previews/images/${unknown}`),
        404,
        "not_found",
      );
    }
  });

  it("goes without an image that is not a bitmap, is too large, or may not be fetched", async () => {
    let internalHits = 0;
    const internal = createServer((_, res) => {
      internalHits += 1;
      res.writeHead(200, { "content-type": "image/png" });
      res.end();
    });
    await new Promise<void>((resolve) => internal.listen(0, "127.0.0.1", resolve));
    try {
      const svg = Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
      );
      images.set("lying.png", { headers: { "content-type": "image/png" }, body: svg });
      images.set("drawing.svg", { headers: { "content-type": "image/svg+xml" }, body: svg });
      images.set("huge.png", {
        headers: { "content-type": "image/png", "content-length": 6 * 1024 * 1024 },
        body: Buffer.alloc(0),
      });
      images.set("redirected.png", {
        headers: { location: `http://127.0.0.1:${(internal.address() as AddressInfo).port}/secret.png` },
      });
      const names = ["lying.png", "drawing.svg", "huge.png", "redirected.png"];
      const sent = await Promise.all(
        names.map((name) => sendMessage(aliceSocket, channel, `${pageBase}/imaged/${name}`)),
      );
      for (const [i, { seq }] of sent.entries()) {
        await expect
          .poll(async () => (await stored(seq))?.linkPreview?.title, { message: names[i] })
          .toBe(`imaged ${names[i]}`);
        expect((await stored(seq))?.linkPreview?.image, names[i]).toBeNull();
      }
      expect(internalHits).toBe(0);
    } finally {
      await new Promise((resolve) => internal.close(resolve));
    }
  });

  it("lets the sender remove a preview for good, and no one else", async () => {
    const sent = await sendMessage(aliceSocket, channel, `${pageBase}/removable`);
    await expect.poll(async () => (await stored(sent.seq))?.linkPreview?.title).toBe("removable");
    const byBob = await emitWithAck(bobSocket, "message:remove-preview", { conversationId: channel, seq: sent.seq });
    expect(!byBob.ok && byBob.error.code).toBe("forbidden");
    const removed = await emitWithAck(aliceSocket, "message:remove-preview", {
      conversationId: channel,
      seq: sent.seq,
    });
    expect(removed.ok && removed.data.linkPreview).toBeNull();
    // An edit that keeps the link does not bring it back.
    await emitWithAck(aliceSocket, "message:edit", {
      conversationId: channel,
      seq: sent.seq,
      text: `${pageBase}/removable !`,
    });
    const marker = await sendMessage(aliceSocket, channel, `${pageBase}/marker`);
    await expect.poll(async () => (await stored(marker.seq))?.linkPreview?.title).toBe("marker");
    expect((await stored(sent.seq))?.linkPreview).toBeNull();
  });

  it("follows an edit to another link with that link's preview", async () => {
    const sent = await sendMessage(aliceSocket, channel, `${pageBase}/before-edit`);
    await expect.poll(async () => (await stored(sent.seq))?.linkPreview?.title).toBe("before-edit");
    await emitWithAck(aliceSocket, "message:edit", {
      conversationId: channel,
      seq: sent.seq,
      text: `${pageBase}/after-edit`,
    });
    await expect.poll(async () => (await stored(sent.seq))?.linkPreview?.title).toBe("after-edit");
  });

  it("forgets a link's preview once the message that had it is deleted or edited to another link", async () => {
    const link = `${pageBase}/forgotten`;
    const titleOf = async (seq: number) => (await stored(seq))?.linkPreview?.title;
    const first = await sendMessage(aliceSocket, channel, link);
    await expect.poll(() => titleOf(first.seq)).toBe("forgotten");
    await emitWithAck(aliceSocket, "message:delete", { conversationId: channel, seq: first.seq });
    const second = await sendMessage(bobSocket, channel, link);
    await expect.poll(() => titleOf(second.seq)).toBe("forgotten");
    expect(hits.get("/forgotten")).toBe(2);

    await emitWithAck(bobSocket, "message:edit", { conversationId: channel, seq: second.seq, text: "no link now" });
    const third = await sendMessage(aliceSocket, channel, link);
    await expect.poll(() => titleOf(third.seq)).toBe("forgotten");
    expect(hits.get("/forgotten")).toBe(3);
  });

  it("leaves links inside code alone", async () => {
    const sent = await sendMessage(aliceSocket, channel, `\`${pageBase}/in-code\``);
    const marker = await sendMessage(aliceSocket, channel, `${pageBase}/code-marker`);
    await expect.poll(async () => (await stored(marker.seq))?.linkPreview?.title).toBe("code-marker");
    expect((await stored(sent.seq))?.linkPreview).toBeNull();
    expect(hits.get("/in-code")).toBeUndefined();
  });

  it("previews one person's link while another's slow links wait, without waiting for them", async () => {
    const slow = Array.from({ length: 12 }, (_, i) => sendMessage(aliceSocket, channel, `${pageBase}/hold/${i}`));
    await Promise.all(slow);
    await expect.poll(() => held.responses.length).toBeGreaterThan(0);
    const sent = await sendMessage(bobSocket, channel, `${pageBase}/not-behind-alice`);
    await expect
      .poll(async () => (await stored(sent.seq))?.linkPreview?.title, { timeout: 15_000 })
      .toBe("not-behind-alice");
    // Bob's preview came while Alice's first pages still hung: not after the fetcher gave up on them.
    expect(held.gaveUp).toBe(0);
    expect(held.responses.length).toBeLessThanOrEqual(2);
    held.letGo = true;
    for (const res of held.responses) res.end(page("held"));
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "fetches a removed preview's link no more, even once its cached page is old",
    async () => {
      const link = `${pageBase}/removed-later`;
      const sent = await sendMessage(aliceSocket, channel, link);
      await expect.poll(async () => (await stored(sent.seq))?.linkPreview?.title).toBe("removed-later");
      const sql = openTestSql(server)!;
      try {
        await sql`update link_previews set fetched_at = now() - interval '2 days' where link = ${link}`;
      } finally {
        await sql.end();
      }
      const removed = await emitWithAck(aliceSocket, "message:remove-preview", {
        conversationId: channel,
        seq: sent.seq,
      });
      expect(removed.ok).toBe(true);
      const edited = await emitWithAck(aliceSocket, "message:edit", {
        conversationId: channel,
        seq: sent.seq,
        text: `${link} (edited)`,
      });
      expect(edited.ok).toBe(true);
      // Alice's links are fetched in the order sent: once this slow page's preview is in, the fetches
      // queued before it have asked the page server for what they wanted.
      const marker = await sendMessage(aliceSocket, channel, `${pageBase}/slow-after-removal`);
      await expect
        .poll(async () => (await stored(marker.seq))?.linkPreview?.title, { timeout: 10_000 })
        .toBe("slow-after-removal");
      expect(hits.get("/removed-later")).toBe(1);
    },
  );
});
