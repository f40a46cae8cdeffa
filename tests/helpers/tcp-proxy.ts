import { createConnection, createServer, type AddressInfo, type Socket } from "node:net";

export type TcpProxy = {
  /** The port on 127.0.0.1 that forwards to the target. */
  port: number;
  /** Destroys every open connection and refuses new ones, as an outage of the target would. */
  cut: () => void;
  /** Forwards new connections again. */
  restore: () => void;
  close: () => Promise<void>;
};

/**
 * A TCP forwarder to host:port that a test can cut and restore, for PostgreSQL or Redis outages.
 * `tap` sees what each connection's client sends, in order, e.g. to count a server's statements.
 */
export async function startTcpProxy(
  host: string,
  port: number,
  tap?: () => (chunk: Buffer) => void,
): Promise<TcpProxy> {
  let cut = false;
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
  };
  const server = createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host, port });
    track(client);
    track(upstream);
    if (tap) client.on("data", tap());
    client.pipe(upstream).pipe(client);
    // Either side ending or failing ends the pair, as one connection would.
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
    client.on("error", () => {});
    upstream.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const destroyAll = () => {
    for (const socket of open) socket.destroy();
  };
  return {
    port: (server.address() as AddressInfo).port,
    cut: () => {
      cut = true;
      destroyAll();
    },
    restore: () => {
      cut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        destroyAll();
        server.close(() => resolve());
      }),
  };
}

/** The same URL with its host and port replaced by the proxy's. */
export function throughProxy(url: string, proxy: TcpProxy): string {
  const proxied = new URL(url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(proxy.port);
  return proxied.toString();
}
