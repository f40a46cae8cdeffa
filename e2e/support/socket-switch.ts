import type { Page } from "@playwright/test";

export type SocketSwitch = {
  /** Closes the page's open socket and makes every new attempt fail, as a network outage would. */
  cut: () => Promise<void>;
  /** Lets sockets through again; the client reconnects on its own schedule. */
  restore: () => Promise<void>;
};

const FLAG = "e2e.socket-cut";

/**
 * Cuts a page's realtime connection (Socket.IO over WebSocket, or its
 * long-polling fallback) while pages and the REST API keep working, so the page
 * can still be reloaded, and show its outbox and history, during the outage.
 * The cut survives reloads of that page. Install it before the page opens.
 *
 * Why not context.setOffline(): it also stops the page from reloading. Why not
 * page.routeWebSocket(): a mocked socket can only be closed, never fail, and
 * socket.io-client then waits out its 20 s connect timeout before retrying,
 * where a real outage fails the attempt at once.
 */
export async function socketSwitch(page: Page): Promise<SocketSwitch> {
  let cut = false;

  await page.addInitScript((flag) => {
    const NativeWebSocket = window.WebSocket;
    const live = new Set<WebSocket>();
    class SwitchedWebSocket extends NativeWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        const isCut = sessionStorage.getItem(flag) === "cut" && String(url).includes("/socket.io/");
        // Port 9 is one browsers refuse to connect to: the attempt fails at once, with error and close events.
        super(isCut ? "ws://127.0.0.1:9/socket.io/" : url, protocols);
        live.add(this);
        this.addEventListener("close", () => live.delete(this));
      }
    }
    window.WebSocket = SwitchedWebSocket;
    Object.assign(window, {
      __e2eCutSockets: () => {
        sessionStorage.setItem(flag, "cut");
        for (const socket of live) socket.close();
      },
    });
  }, FLAG);

  // The client falls back to long-polling when the WebSocket fails: refuse that too.
  await page.route(/\/socket\.io\//, (route) => (cut ? route.abort("internetdisconnected") : route.continue()));

  return {
    cut: async () => {
      cut = true;
      await page.evaluate(() => (window as unknown as { __e2eCutSockets: () => void }).__e2eCutSockets());
    },
    restore: async () => {
      cut = false;
      await page.evaluate((flag) => sessionStorage.removeItem(flag), FLAG);
    },
  };
}
