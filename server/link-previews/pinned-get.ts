import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { socketHost, type ResolvedAddress } from "./target";

/** Names Parley and nothing about whoever posted the link. */
export const PREVIEW_USER_AGENT = "Parley-LinkPreview/1.0 (self-hosted team chat)";

/**
 * GETs a URL from exactly the addresses that were checked: the socket's
 * lookup answers with them instead of asking DNS again, so a name that
 * changes its answer between the check and the connection (DNS rebinding)
 * cannot send the request elsewhere. TLS still verifies the certificate
 * against the host name. No cookies, no credentials, no connection reuse.
 */
export function pinnedGet(url: URL, addresses: ResolvedAddress[], signal: AbortSignal): Promise<IncomingMessage> {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    const usable = options.family ? addresses.filter(({ family }) => family === options.family) : addresses;
    if (options.all) callback(null, usable);
    else if (usable[0]) callback(null, usable[0].address, usable[0].family);
    else callback(Object.assign(new Error("No checked address of that family"), { code: "ENOTFOUND" }), "", 0);
  };
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    request(
      {
        host: socketHost(url),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: "GET",
        headers: {
          "user-agent": PREVIEW_USER_AGENT,
          accept: "text/html",
          "accept-encoding": "gzip, deflate, br",
        },
        agent: false,
        lookup,
        signal,
      },
      resolve,
    )
      .on("error", reject)
      .end();
  });
}
