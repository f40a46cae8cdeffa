import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createSecureContext, getCACertificates, setDefaultCACertificates } from "node:tls";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { linkPreviewSchema } from "@/lib/protocol";
import { isPublicAddress } from "@/server/link-previews/address-policy";
import { LinkPreviewError, type PreviewRefusal } from "@/server/link-previews/errors";
import { fetchPreview, type FetchPreviewOptions } from "@/server/link-previews/fetch-preview";
import type { ResolvedAddress } from "@/server/link-previews/target";
import { PAGE_TEST_TLS } from "@/tests/helpers/link-preview-tls";

/**
 * The page server listens on 127.0.0.2, the one address these tests allow on
 * top of the real policy. A decoy listens on 127.0.0.1 at the same port, so a
 * fetch that reached a refused loopback address, or looked a name up again
 * after checking it, would land there; no test may reach it. Every other
 * refused address is refused before any connection is tried.
 */
const ALLOWED = "127.0.0.2";
let port: number;
let pages: Server;
let decoy: Server;
let decoyRequests = 0;
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
/** The paths whose responses the client hung up on or saw to the end. */
const closed: string[] = [];

const html = (head: string) => `<!doctype html><html><head>${head}</head><body><p>Hello</p></body></html>`;
const PAGE = html(`<title>Plain</title><meta property="og:title" content="The page">
  <meta property="og:description" content="What it is about"><meta property="og:image" content="/card.png">
  <meta property="og:site_name" content="Test site">`);

function send(response: ServerResponse, status: number, type: string | null, body: string | Buffer, extra = {}) {
  response.writeHead(status, { ...(type ? { "content-type": type } : {}), ...extra });
  response.end(body);
}

/** Writes padding as fast as the reader takes it, until the reader hangs up. */
async function endless(response: ServerResponse, start: string) {
  response.writeHead(200, { "content-type": "text/html" });
  response.write(start);
  const padding = `<meta name="padding" content="${"x".repeat(16 * 1024)}">`;
  while (!response.destroyed) {
    if (!response.write(padding)) await Promise.race([once(response, "drain"), once(response, "close")]);
  }
}

function route(path: string, response: ServerResponse) {
  const url = new URL(path, "http://x");
  const chain = /^\/chain\/(\d+)$/.exec(url.pathname);
  if (chain) {
    const left = Number(chain[1]);
    return send(response, 302, null, "", { location: left === 0 ? "/page" : `/chain/${left - 1}` });
  }
  switch (url.pathname) {
    case "/page":
      return send(response, 200, "text/html; charset=utf-8", PAGE);
    case "/redirect":
      return send(response, Number(url.searchParams.get("status") ?? 302), "text/html", "moved", {
        location: url.searchParams.get("to") ?? "",
        "set-cookie": "session=secret; Path=/",
      });
    case "/redirect-long":
      return send(response, 302, null, "", { location: `/page?${"q".repeat(2048)}` });
    case "/loop":
      return send(response, 301, null, "", { location: "/loop" });
    case "/json":
      return send(response, 200, "application/json", JSON.stringify({ title: "<title>JSON</title>" }));
    case "/png":
      return send(response, 200, "image/png", PAGE);
    case "/xhtml":
      return send(response, 200, "application/xhtml+xml", PAGE);
    case "/untyped":
      return send(response, 200, null, PAGE);
    case "/not-found":
      return send(response, 404, "text/html", html("<title>Not found</title>"));
    case "/gzip":
      return send(response, 200, "text/html", gzipSync(PAGE), { "content-encoding": "gzip" });
    case "/compress":
      return send(response, 200, "text/html", PAGE, { "content-encoding": "compress" });
    case "/hang":
      return;
    case "/drip": {
      response.writeHead(200, { "content-type": "text/html" });
      response.write("<html><head><title>Slow");
      const drip = setInterval(() => response.write(" ."), 50);
      response.on("close", () => clearInterval(drip));
      return;
    }
    case "/huge":
      return void endless(response, "<html><head><title>Big page</title>");
    case "/huge-title-late":
      return void endless(response, "<html><head>");
    default:
      return send(response, 404, "text/plain", "no such page");
  }
}

async function listen(server: Server, host: string, at: number): Promise<number> {
  server.listen(at, host);
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  pages = createServer((request, response) => {
    seen.push({ url: request.url ?? "", headers: request.headers });
    response.on("close", () => closed.push(request.url ?? ""));
    route(request.url ?? "/", response);
  });
  port = await listen(pages, ALLOWED, 0);
  decoy = createServer((_request, response) => {
    decoyRequests++;
    send(response, 200, "text/html", html("<title>Decoy</title>"));
  });
  await listen(decoy, "127.0.0.1", port);
});

afterAll(async () => {
  pages.closeAllConnections();
  await Promise.all([new Promise((done) => pages.close(done)), new Promise((done) => decoy.close(done))]);
});

afterEach(() => {
  closed.length = 0;
  const reachedDecoy = decoyRequests;
  decoyRequests = 0;
  seen.length = 0;
  expect(reachedDecoy, "a fetch reached the decoy on 127.0.0.1").toBe(0);
});

const NAMES: Record<string, string[]> = {
  "page.test": [ALLOWED],
  "other-name.test": [ALLOWED],
  "private.test": ["10.0.0.1"],
  "metadata.test": ["169.254.169.254"],
  "loopback6.test": ["::1"],
  "mapped.test": ["::ffff:127.0.0.1"],
  "ula.test": ["fd00::1"],
  "link-local6.test": ["fe80::1"],
  "cgnat.test": ["100.64.0.1"],
  "unspecified.test": ["0.0.0.0"],
  "nat64-loopback.test": ["64:ff9b::7f00:1"],
  "loopback.test": ["127.0.0.1"],
  "public-and-private.test": ["8.8.8.8", "10.0.0.1"],
  "allowed-and-loopback.test": [ALLOWED, "127.0.0.1"],
};
let lookups: string[] = [];

const fakeLookup = async (hostname: string): Promise<ResolvedAddress[]> => {
  lookups.push(hostname);
  const addresses = NAMES[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
  return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
};

const testOptions = (more: FetchPreviewOptions = {}): FetchPreviewOptions => ({
  lookup: fakeLookup,
  isAllowedAddress: (address) => address === ALLOWED || isPublicAddress(address),
  ...more,
});

const fetchTest = (url: string, more?: FetchPreviewOptions) => fetchPreview(url, testOptions(more));
const page = (path: string, host = ALLOWED) => `http://${host}:${port}${path}`;

async function failure(promise: Promise<unknown>): Promise<LinkPreviewError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(LinkPreviewError);
  return error as LinkPreviewError;
}

const refusal = async (promise: Promise<unknown>): Promise<PreviewRefusal> => (await failure(promise)).reason;

describe("fetchPreview from an allowed server", () => {
  it("reads the preview of a page", async () => {
    const preview = await fetchTest(page("/page"));
    expect(preview).toEqual({
      url: page("/page"),
      title: "The page",
      description: "What it is about",
      imageUrl: page("/card.png"),
      siteName: "Test site",
      image: null,
    });
    linkPreviewSchema.parse(preview);
  });

  it("reaches a name through the address it checked, asking DNS once", async () => {
    lookups = [];
    expect(await fetchTest(page("/page", "page.test"))).toMatchObject({ title: "The page" });
    expect(lookups).toEqual(["page.test"]);
    expect(seen[0]?.headers.host).toBe(`page.test:${port}`);
  });

  it("connects to the checked address even when DNS answers differently the second time (rebinding)", async () => {
    let calls = 0;
    // A second lookup would send the request to the decoy on 127.0.0.1, at the same port.
    const rebinding = async (): Promise<ResolvedAddress[]> => [
      { address: calls++ === 0 ? ALLOWED : "127.0.0.1", family: 4 },
    ];
    expect(await fetchTest(page("/page", "rebind.test"), { lookup: rebinding })).toMatchObject({ title: "The page" });
    expect(calls).toBe(1);
    expect(seen.map(({ url }) => url)).toEqual(["/page"]);
  });

  it("sends a plain Parley User-Agent and no cookies or credentials, even after a Set-Cookie", async () => {
    await fetchTest(page(`/redirect?to=${encodeURIComponent("/page")}`));
    expect(seen.map(({ url }) => url)).toEqual(["/redirect?to=%2Fpage", "/page"]);
    for (const { headers } of seen) {
      expect(headers["user-agent"]).toMatch(/^Parley\b/);
      expect(headers.cookie).toBeUndefined();
      expect(headers.authorization).toBeUndefined();
      expect(headers.referer).toBeUndefined();
    }
  });

  it.each([301, 302, 303, 307, 308])("follows a %i redirect and describes the page it led to", async (status) => {
    const preview = await fetchTest(page(`/redirect?status=${status}&to=${encodeURIComponent(page("/page"))}`));
    expect(preview).toMatchObject({ url: page("/page"), title: "The page" });
  });

  it("follows 3 redirects", async () => {
    expect(await fetchTest(page("/chain/2"))).toMatchObject({ title: "The page" });
    expect(seen).toHaveLength(4);
  });

  it("refuses a 4th redirect without following it", async () => {
    expect(await refusal(fetchTest(page("/chain/3")))).toBe("too_many_redirects");
    expect(seen.map(({ url }) => url)).toEqual(["/chain/3", "/chain/2", "/chain/1", "/chain/0"]);
  });

  it("refuses a redirect loop", async () => {
    expect(await refusal(fetchTest(page("/loop")))).toBe("too_many_redirects");
    expect(seen).toHaveLength(4);
  });

  it("undoes gzip", async () => {
    expect(await fetchTest(page("/gzip"))).toMatchObject({ title: "The page" });
  });

  it.each(["/json", "/png", "/xhtml", "/untyped", "/compress", "/not-found"])(
    "has no preview for what is not an HTML page: %s",
    async (path) => {
      expect(await fetchTest(page(path))).toBeNull();
    },
  );

  it("stops reading a huge page after 512 KiB and keeps the preview from its start", async () => {
    expect(await fetchTest(page("/huge"))).toMatchObject({ title: "Big page" });
    await expect.poll(() => closed).toContain("/huge");
  });

  it("does not look past 512 KiB for a title", async () => {
    expect(await fetchTest(page("/huge-title-late"))).toBeNull();
  });

  it("gives up on a page that trickles in past the time limit", async () => {
    const started = performance.now();
    expect(await refusal(fetchTest(page("/drip"), { timeoutMs: 400 }))).toBe("timeout");
    expect(performance.now() - started).toBeLessThan(2_000);
    await expect.poll(() => closed).toContain("/drip");
  });

  it("gives up on a server that never answers", async () => {
    expect(await refusal(fetchTest(page("/hang"), { timeoutMs: 300 }))).toBe("timeout");
    await expect.poll(() => closed).toContain("/hang");
  });

  it("gives up on a DNS lookup that never answers", async () => {
    const never = () => new Promise<ResolvedAddress[]>(() => {});
    expect(await refusal(fetchTest(page("/page", "slow-dns.test"), { lookup: never, timeoutMs: 300 }))).toBe("timeout");
  });

  it("stops when the caller aborts", async () => {
    const controller = new AbortController();
    const fetching = fetchTest(page("/hang"), { signal: controller.signal });
    await expect.poll(() => seen).toHaveLength(1);
    controller.abort(new Error("shutting down"));
    await expect(fetching).rejects.toThrow("shutting down");
    await expect.poll(() => closed).toContain("/hang");
  });

  it("says so when nothing listens", async () => {
    const closed = createServer();
    const free = await listen(closed, ALLOWED, 0);
    await new Promise((done) => closed.close(done));
    expect(await refusal(fetchTest(`http://${ALLOWED}:${free}/`))).toBe("fetch_failed");
  });

  it("says so when a name does not resolve", async () => {
    expect(await refusal(fetchTest(page("/page", "nowhere.test")))).toBe("unresolvable_host");
  });
});

const REFUSED: [string, () => string, PreviewRefusal][] = [
  ["127.0.0.1", () => page("/page", "127.0.0.1"), "private_address"],
  ["another loopback address, 127.9.9.9", () => page("/page", "127.9.9.9"), "private_address"],
  ["127.0.0.1 written as one number", () => `http://2130706433:${port}/page`, "private_address"],
  ["127.0.0.1 written in hex", () => `http://0x7f.0.0.1:${port}/page`, "private_address"],
  ["localhost", () => page("/page", "localhost"), "internal_host"],
  ["a single-label name", () => page("/page", "intranet"), "internal_host"],
  ["metadata.google.internal", () => "http://metadata.google.internal/computeMetadata/v1/", "internal_host"],
  ["the literal 10.0.0.1", () => "http://10.0.0.1/", "private_address"],
  ["the literal 169.254.169.254", () => "http://169.254.169.254/latest/meta-data/", "private_address"],
  ["the literal [::1]", () => `http://[::1]:${port}/page`, "private_address"],
  ["the literal [::ffff:127.0.0.1]", () => `http://[::ffff:127.0.0.1]:${port}/page`, "private_address"],
  ["the literal [fd00::1]", () => "http://[fd00::1]/", "private_address"],
  ["the literal 0.0.0.0", () => `http://0.0.0.0:${port}/page`, "private_address"],
  ["a name resolving to 10.0.0.1", () => "http://private.test/", "private_address"],
  ["a name resolving to 169.254.169.254", () => "http://metadata.test/latest/meta-data/", "private_address"],
  ["a name resolving to ::1", () => `http://loopback6.test:${port}/page`, "private_address"],
  ["a name resolving to ::ffff:127.0.0.1", () => `http://mapped.test:${port}/page`, "private_address"],
  ["a name resolving to fd00::1", () => "http://ula.test/", "private_address"],
  ["a name resolving to fe80::1", () => "http://link-local6.test/", "private_address"],
  ["a name resolving to 100.64.0.1", () => "http://cgnat.test/", "private_address"],
  ["a name resolving to 0.0.0.0", () => `http://unspecified.test:${port}/page`, "private_address"],
  ["a name resolving to NAT64 of loopback", () => `http://nat64-loopback.test:${port}/page`, "private_address"],
  ["a name resolving to 127.0.0.1", () => `http://loopback.test:${port}/page`, "private_address"],
  [
    "a name resolving to one public and one private address",
    () => "http://public-and-private.test/",
    "private_address",
  ],
  [
    "a name resolving to the allowed address and loopback",
    () => page("/page", "allowed-and-loopback.test"),
    "private_address",
  ],
  ["a file: URL", () => "file:///etc/passwd", "unsupported_url"],
  ["a javascript: URL", () => "javascript:alert(document.cookie)", "unsupported_url"],
  ["an ftp: URL", () => `ftp://${ALLOWED}:${port}/page`, "unsupported_url"],
  ["a gopher: URL", () => `gopher://${ALLOWED}:${port}/_GET`, "unsupported_url"],
  ["a URL with user:pass@", () => `http://user:pass@${ALLOWED}:${port}/page`, "unsupported_url"],
  ["a URL with only a user name", () => `http://user@${ALLOWED}:${port}/page`, "unsupported_url"],
  ["a URL longer than 2,048 characters", () => page(`/page?${"q".repeat(2048)}`), "unsupported_url"],
  ["a URL longer than 2,048 characters once percent-encoded", () => page(`/${"é".repeat(400)}`), "unsupported_url"],
  ["something that is not a URL", () => "not a url", "unsupported_url"],
];

describe("fetchPreview refuses", () => {
  it.each(REFUSED)("%s", async (_label, target, reason) => {
    lookups = [];
    expect(await refusal(fetchTest(target()))).toBe(reason);
    expect(seen).toEqual([]);
  });
});

describe("fetchPreview refuses a redirect from the allowed server to", () => {
  // Those two cannot be put in the test server's URL; the long one has a test of its own below.
  const redirectable = REFUSED.filter(([label]) => !/not a URL|longer than/.test(label));
  it.each(redirectable)("%s", async (_label, target, reason) => {
    const from = page(`/redirect?to=${encodeURIComponent(target())}`);
    expect(await refusal(fetchTest(from))).toBe(reason);
    expect(seen.map(({ url }) => url)).toEqual([new URL(from).pathname + new URL(from).search]);
  });
});

describe("fetchPreview refuses a redirect", () => {
  it("to a URL longer than 2,048 characters", async () => {
    expect(await refusal(fetchTest(page("/redirect-long")))).toBe("unsupported_url");
    expect(seen.map(({ url }) => url)).toEqual(["/redirect-long"]);
  });
});

describe("fetchPreview over HTTPS", () => {
  let secure: Server;
  let securePort: number;
  const serverNames: string[] = [];
  const systemCAs = getCACertificates("default");

  beforeAll(async () => {
    const context = createSecureContext(PAGE_TEST_TLS);
    secure = createHttpsServer(
      {
        ...PAGE_TEST_TLS,
        SNICallback: (name, done) => {
          serverNames.push(name);
          done(null, context);
        },
      },
      (_request, response) => send(response, 200, "text/html", PAGE),
    );
    securePort = await listen(secure, ALLOWED, 0);
  });

  afterAll(async () => {
    setDefaultCACertificates(systemCAs);
    secure.closeAllConnections();
    await new Promise((done) => secure.close(done));
  });

  it("verifies the certificate, sending the link's host name to the checked address", async () => {
    const untrusted = await failure(fetchTest(`https://page.test:${securePort}/page`));
    expect(untrusted).toMatchObject({ reason: "fetch_failed", message: expect.stringMatching(/self-signed/) });
    expect(serverNames).toEqual(["page.test"]);
  });

  it("reads the page when the certificate is trusted, and only for the name it is for", async () => {
    setDefaultCACertificates([...systemCAs, PAGE_TEST_TLS.cert]);
    expect(await fetchTest(`https://page.test:${securePort}/page`)).toMatchObject({
      url: `https://page.test:${securePort}/page`,
      title: "The page",
    });
    for (const host of ["other-name.test", ALLOWED]) {
      const mismatch = await failure(fetchTest(`https://${host}:${securePort}/page`));
      expect(mismatch).toMatchObject({ reason: "fetch_failed", message: expect.stringMatching(/altnames/) });
    }
  });
});

describe("fetchPreview with the default policy", () => {
  it("refuses the address the tests allow, like every loopback address", async () => {
    expect(await refusal(fetchPreview(page("/page"), { lookup: fakeLookup }))).toBe("private_address");
    expect(await refusal(fetchPreview(page("/page", "page.test"), { lookup: fakeLookup }))).toBe("private_address");
    expect(seen).toEqual([]);
  });
});
