// A TCP proxy on 127.0.0.1 port 0 in front of the real server, to cut connections under a client
// the way a network failure does: no close frame, no FIN, a reset on both sides.
import { type AddressInfo, type Server, type Socket, connect, createServer } from "node:net";

export interface TcpProxy {
  /** `http://127.0.0.1:<proxy port>`: give this to the client instead of the server's URL. */
  readonly url: string;
  /** Connections accepted so far (each is one client connection). */
  readonly accepted: number;
  /** Resets every open connection (both sides) and refuses new ones (reset at once) until `restore()`. */
  cut(): void;
  /**
   * Keeps the open connections but drops what the server sends on them: the server's writes
   * succeed (they count as sent), the client reads nothing, as when a network path dies without
   * either end noticing. New connections are forwarded as before; `cut()` ends the stall.
   */
  stall(): void;
  /** Accepts and forwards connections again. */
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let down = false;
  let stalled = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((client) => {
    client.on("error", () => {});
    if (down) {
      client.resetAndDestroy();
      return;
    }
    accepted++;
    const upstream = connect(targetPort, "127.0.0.1");
    upstream.on("error", () => {});
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("close", () => {
        open.delete(socket);
        // One side gone: the other goes too, as abruptly.
        (socket === client ? upstream : client).resetAndDestroy();
      });
    }
    client.pipe(upstream);
    upstream.on("data", (chunk: Buffer) => {
      if (!stalled.has(upstream)) client.write(chunk);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get accepted() {
      return accepted;
    },
    stall() {
      stalled = new Set(open);
    },
    cut() {
      down = true;
      stalled = new Set();
      for (const socket of [...open]) socket.resetAndDestroy();
    },
    restore() {
      down = false;
    },
    close() {
      for (const socket of [...open]) socket.resetAndDestroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
