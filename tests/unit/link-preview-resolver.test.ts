import { createSocket, type Socket } from "node:dgram";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import ipaddr from "ipaddr.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPublicAddress } from "@/server/link-previews/address-policy";
import { LinkPreviewError } from "@/server/link-previews/errors";
import { fetchPreview } from "@/server/link-previews/fetch-preview";
import { resolverLookup } from "@/server/link-previews/resolver-lookup";

/** A name server on 127.0.0.2 that knows a few names; one it never answers for. */
const RECORDS: Record<string, { a?: string[]; aaaa?: string[] }> = {
  "v4.test": { a: ["127.0.0.2"] },
  "dual.test": { a: ["127.0.0.2", "10.0.0.1"], aaaa: ["::1"] },
  "v6.test": { aaaa: ["fd00::1"] },
};
const SILENT = "silent.test";
const A = 1;
const AAAA = 28;

let server: Socket;
let servers: string[];

function question(query: Buffer): { name: string; type: number; end: number } {
  const labels: string[] = [];
  let at = 12;
  while (query[at]) {
    labels.push(query.subarray(at + 1, at + 1 + query[at]!).toString("latin1"));
    at += 1 + query[at]!;
  }
  return { name: labels.join(".").toLowerCase(), type: query.readUInt16BE(at + 1), end: at + 5 };
}

function record(type: number, address: string): Buffer {
  const data = Buffer.from(ipaddr.parse(address).toByteArray());
  const header = Buffer.alloc(12);
  header.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
  header.writeUInt16BE(type, 2);
  header.writeUInt16BE(1, 4); // class IN
  header.writeUInt32BE(60, 6);
  header.writeUInt16BE(data.length, 10);
  return Buffer.concat([header, data]);
}

function answer(query: Buffer): Buffer | null {
  const { name, type, end } = question(query);
  if (name === SILENT) return null;
  const known = RECORDS[name];
  const addresses = (type === A ? known?.a : type === AAAA ? known?.aaaa : undefined) ?? [];
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  header.writeUInt16BE(known ? 0x8180 : 0x8183, 2); // a response, recursion available; NXDOMAIN for unknown names
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(addresses.length, 6);
  return Buffer.concat([header, query.subarray(12, end), ...addresses.map((address) => record(type, address))]);
}

beforeAll(async () => {
  server = createSocket("udp4");
  server.on("message", (query, from) => {
    const response = answer(query);
    if (response) server.send(response, from.port, from.address);
  });
  server.bind(0, "127.0.0.2");
  await once(server, "listening");
  servers = [`127.0.0.2:${(server.address() as AddressInfo).port}`];
});

afterAll(() => server.close());

const lookUp = (name: string, signal = new AbortController().signal) => resolverLookup(servers)(name, signal);

describe("resolverLookup", () => {
  it("answers with the IPv4 addresses of a name without IPv6 ones", async () => {
    expect(await lookUp("v4.test")).toEqual([{ address: "127.0.0.2", family: 4 }]);
  });

  it("answers with every IPv4 and IPv6 address, so that all are checked", async () => {
    expect(await lookUp("dual.test")).toEqual([
      { address: "127.0.0.2", family: 4 },
      { address: "10.0.0.1", family: 4 },
      { address: "::1", family: 6 },
    ]);
  });

  it("answers with the IPv6 addresses of a name without IPv4 ones", async () => {
    expect(await lookUp("v6.test")).toEqual([{ address: "fd00::1", family: 6 }]);
  });

  it("fails for a name that does not exist", async () => {
    await expect(lookUp("missing.test")).rejects.toMatchObject({ code: "ENOTFOUND" });
  });

  it("stops asking when the fetch gives up", async () => {
    const started = performance.now();
    await expect(lookUp(SILENT, AbortSignal.timeout(200))).rejects.toMatchObject({ code: "ECANCELLED" });
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});

describe("fetchPreview through resolverLookup", () => {
  const options = () => ({
    lookup: resolverLookup(servers),
    isAllowedAddress: (address: string) => address === "127.0.0.2" || isPublicAddress(address),
  });

  it("reaches the address the name server gave", async () => {
    const page = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" }).end("<title>Found by name</title>");
    });
    page.listen(0, "127.0.0.2");
    await once(page, "listening");
    try {
      const port = (page.address() as AddressInfo).port;
      expect(await fetchPreview(`http://v4.test:${port}/`, options())).toMatchObject({ title: "Found by name" });
    } finally {
      page.close();
    }
  });

  it.each(["dual.test", "v6.test"])("refuses %s, which has an address that is not public", async (name) => {
    await expect(fetchPreview(`http://${name}/`, options())).rejects.toMatchObject({ reason: "private_address" });
  });

  it("says so when a name does not exist", async () => {
    const failure = fetchPreview("http://missing.test/", options());
    await expect(failure).rejects.toBeInstanceOf(LinkPreviewError);
    await expect(failure).rejects.toMatchObject({ reason: "unresolvable_host" });
  });
});
