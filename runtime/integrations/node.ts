/**
 * The receiver on Node's own HTTP server:
 *
 *   import { createServer } from "node:http";
 *   createServer(toNodeListener(receiver.fetch)).listen(3000);
 *
 * It turns `node:http`'s request into a `Request` (the body streamed, so the receiver's size limit
 * stops reading early) and writes the `Response` back. It imports nothing from Node: the types
 * below are the part of IncomingMessage and ServerResponse it uses.
 */

/** What the adapter uses of `http.IncomingMessage`. */
export interface NodeRequestLike {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  resume(): unknown;
}

/** What the adapter uses of `http.ServerResponse`. */
export interface NodeResponseLike {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body?: Uint8Array): unknown;
}

export interface NodeListenerOptions {
  /** The origin requests are taken to come from (default: `http://` and the Host header). */
  readonly origin?: string;
}

/** A `(req, res)` listener for `http.createServer` that answers with `handler`. */
export function toNodeListener(
  handler: (request: Request) => Promise<Response>,
  options: NodeListenerOptions = {},
): (req: NodeRequestLike, res: NodeResponseLike) => void {
  return (req, res) => {
    void answer(handler, options, req, res);
  };
}

async function answer(
  handler: (request: Request) => Promise<Response>,
  options: NodeListenerOptions,
  req: NodeRequestLike,
  res: NodeResponseLike,
): Promise<void> {
  let response: Response;
  try {
    response = await handler(toRequest(req, options));
  } catch {
    response = new Response(JSON.stringify({ error: "the request could not be handled" }), {
      status: 500,
      headers: { "content-type": "application/json" },
    });
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  const body = new Uint8Array(await response.arrayBuffer().catch(() => new ArrayBuffer(0)));
  headers["content-length"] = String(body.byteLength);
  res.writeHead(response.status, headers);
  res.end(body);
  // Whatever the handler did not read is drained, so the connection can carry the answer.
  req.resume();
}

function toRequest(req: NodeRequestLike, options: NodeListenerOptions): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of typeof value === "string" ? [value] : value) headers.append(key, one);
  }
  const origin = options.origin ?? `http://${headers.get("host") ?? "localhost"}`;
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", origin);
  if (method === "GET" || method === "HEAD") return new Request(url, { method, headers });
  let done = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Uint8Array) => {
        if (!done) controller.enqueue(new Uint8Array(chunk));
      });
      req.on("end", () => {
        if (!done) controller.close();
        done = true;
      });
      req.on("error", (error: Error) => {
        if (!done) controller.error(error);
        done = true;
      });
    },
    cancel() {
      done = true;
      req.resume();
    },
  });
  return new Request(url, { method, headers, body, duplex: "half" } as RequestInit);
}
