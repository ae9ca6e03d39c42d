// A reverse proxy on 127.0.0.1 port 0 in front of the real server, so that the test page, the
// bundled client and the Mattermost API share one origin, as a web app on the server's own origin
// does (its cookies, its CSRF token, its WebSocket). It serves `/` (the page) and `/client.js` (the
// bundle) itself (and an empty /favicon.ico) and forwards everything else with the Host header unchanged, WebSocket upgrades
// included (raw TCP after the upgrade request). It records what the browser sent (method, path,
// headers), and cuts the proxied WebSocket connections on demand, the way a network failure does:
// no close frame, a reset on both sides.
import { type IncomingHttpHeaders, type IncomingMessage, type Server, createServer, request } from "node:http";
import { type AddressInfo, type Socket, connect } from "node:net";

export interface SeenRequest {
  readonly method: string;
  /** The path and query, as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly upgrade: boolean;
}

export interface SameOriginProxy {
  /** `http://127.0.0.1:<port>`: the page's origin. */
  readonly url: string;
  /** Every request the browser sent to the server through the proxy, in order (the page and bundle left out). */
  readonly seen: readonly SeenRequest[];
  /** WebSocket connections currently open through the proxy. */
  readonly openSockets: number;
  /** Resets every proxied WebSocket connection (both sides); returns how many were cut. */
  cut(): number;
  /**
   * From now on, refuses WebSocket upgrades the way a dead network path does (reset before any
   * answer) until `restore()`.
   */
  refuse(): void;
  /**
   * The next WebSocket upgrade is answered (the browser sees it open), then reset 300 ms later with
   * nothing of what the server sent after the upgrade answer: closed without a frame before any
   * `hello`, which is how the real server refuses a token.
   */
  dropBeforeHello(): void;
  restore(): void;
  close(): Promise<void>;
}

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>mattermost-typed in a browser</title></head>
<body><script type="module">
import * as app from "/client.js";
window.app = app;
document.body.dataset.ready = "1";
</script></body></html>
`;

export async function startSameOriginProxy(targetPort: number, bundle: string): Promise<SameOriginProxy> {
  const seen: SeenRequest[] = [];
  const tunnels = new Set<Socket>();
  /** The browser's side of each open tunnel. */
  const clients = new Set<Socket>();
  let refusing = false;
  let dropNext = false;
  const record = (message: IncomingMessage, upgrade: boolean): void =>
    void seen.push({ method: message.method ?? "", url: message.url ?? "", headers: { ...message.headers }, upgrade });

  const server: Server = createServer((incoming, outgoing) => {
    if (incoming.url === "/favicon.ico") {
      outgoing.writeHead(204).end();
      return;
    }
    if (incoming.method === "GET" && (incoming.url === "/" || incoming.url === "/client.js")) {
      const page = incoming.url === "/";
      outgoing.writeHead(200, {
        "Content-Type": page ? "text/html; charset=utf-8" : "text/javascript; charset=utf-8",
        "Cache-Control": "no-store",
      });
      outgoing.end(page ? PAGE : bundle);
      return;
    }
    record(incoming, false);
    const upstream = request(
      { host: "127.0.0.1", port: targetPort, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(outgoing);
      },
    );
    upstream.on("error", () => outgoing.destroy());
    incoming.pipe(upstream);
  });

  server.on("upgrade", (incoming: IncomingMessage, client: Socket, head: Buffer) => {
    client.on("error", () => {});
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    record(incoming, true);
    const upstream = connect(targetPort, "127.0.0.1");
    upstream.on("error", () => {});
    clients.add(client);
    client.on("close", () => clients.delete(client));
    for (const socket of [client, upstream]) {
      tunnels.add(socket);
      socket.on("close", () => {
        tunnels.delete(socket);
        (socket === client ? upstream : client).resetAndDestroy();
      });
    }
    // The upgrade request as received (raw header names and order), then whatever followed it.
    let lines = `${incoming.method} ${incoming.url} HTTP/${incoming.httpVersion}\r\n`;
    for (let i = 0; i < incoming.rawHeaders.length; i += 2) lines += `${incoming.rawHeaders[i]}: ${incoming.rawHeaders[i + 1]}\r\n`;
    upstream.write(`${lines}\r\n`);
    if (head.length > 0) upstream.write(head);
    client.pipe(upstream);
    if (!dropNext) {
      upstream.pipe(client);
      return;
    }
    dropNext = false;
    let answer: Buffer | null = Buffer.alloc(0);
    upstream.on("data", (chunk: Buffer) => {
      if (answer === null) return;
      answer = Buffer.concat([answer, chunk]);
      const end = answer.indexOf("\r\n\r\n");
      if (end < 0) return;
      client.write(answer.subarray(0, end + 4));
      answer = null;
      setTimeout(() => client.resetAndDestroy(), 300);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    get openSockets() {
      return clients.size;
    },
    cut() {
      const count = clients.size;
      for (const socket of [...tunnels]) socket.resetAndDestroy();
      return count;
    },
    refuse() {
      refusing = true;
    },
    dropBeforeHello() {
      dropNext = true;
    },
    restore() {
      refusing = false;
    },
    close() {
      for (const socket of [...tunnels]) socket.resetAndDestroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
