/**
 * Client actions (`{ action, seq, data }`) and their replies (`{ status, seq_reply, data | error }`).
 *
 * - `seq` grows for the life of the socket (starting at 1: the server rejects 0), so a late reply
 *   can never be taken for the reply of a newer request.
 * - A request made while no connection is ready waits in the outbox (its timeout already running)
 *   and is written, in call order, once one is.
 * - A request already written when the connection drops is rejected with `connection_lost`, never
 *   written again: the server may have applied it, and actions are not idempotent in general.
 * - Frames over the server's read limit are rejected before sending: the server would close the
 *   whole connection for them.
 */
import type { AppErrorBody } from "../errors.js";
import { SocketError } from "./errors.js";

/** The server's read limit for one client message (`model.SocketMaxMessageSizeKb`), in bytes. */
export const MAX_CLIENT_MESSAGE_BYTES = 8 * 1024;

/** Writes one frame on the ready connection; `false` when it could not. */
export type FrameWriter = (frame: string) => boolean;

interface Pending {
  readonly seq: number;
  readonly action: string;
  readonly frame: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: SocketError) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  sent: boolean;
}

export class ActionTable {
  private lastSeq = 0;
  private readonly pending = new Map<number, Pending>();
  private outbox: Pending[] = [];
  private writer: FrameWriter | null = null;

  /** A fresh `seq`, for frames the socket writes itself (authentication, the resume probe). */
  allocateSeq(): number {
    return ++this.lastSeq;
  }

  /** The frame of a request. */
  encode(action: string, seq: number, data: unknown): string {
    return JSON.stringify(data === undefined ? { action, seq } : { action, seq, data });
  }

  request(action: string, data: unknown, timeoutMs: number, signal: AbortSignal | undefined): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(aborted(action, null, signal));
    const seq = this.allocateSeq();
    let frame: string;
    try {
      frame = this.encode(action, seq, data);
    } catch (cause) {
      return Promise.reject(new TypeError(`send("${action}"): data cannot be serialized as JSON`, { cause }));
    }
    const bytes = frame.length * 3 <= MAX_CLIENT_MESSAGE_BYTES ? frame.length : utf8Length(frame);
    if (bytes > MAX_CLIENT_MESSAGE_BYTES) {
      return Promise.reject(
        new SocketError(
          "too_large",
          action,
          seq,
          `send("${action}"): the message is ${bytes} bytes, over the server's limit of ${MAX_CLIENT_MESSAGE_BYTES} (the server would close the connection); it was not sent. Send less data per action`,
        ),
      );
    }
    return new Promise<unknown>((resolve, reject) => {
      const entry: Pending = { seq, action, frame, resolve, reject, timer: undefined, signal, onAbort: undefined, sent: false };
      this.pending.set(seq, entry);
      if (timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          this.fail(
            entry,
            new SocketError(
              "timeout",
              action,
              seq,
              `send("${action}") (seq ${seq}): no reply within ${timeoutMs} ms; the server may still have acted on it. Raise timeoutMs (0 waits forever) for slow actions`,
            ),
          );
        }, timeoutMs);
      }
      if (signal !== undefined) {
        entry.onAbort = () => this.fail(entry, aborted(action, seq, signal));
        signal.addEventListener("abort", entry.onAbort, { once: true });
      }
      if (this.writer === null || !this.write(this.writer, entry)) this.outbox.push(entry);
    });
  }

  /** Settles the request `seq` answers; `false` when none is waiting (a late reply after a timeout). */
  settle(seq: number, reply: { readonly status?: unknown; readonly data?: unknown; readonly error?: unknown }): boolean {
    const entry = this.pending.get(seq);
    if (entry === undefined) return false;
    if (reply.status === "OK") {
      this.cleanup(entry);
      entry.resolve(reply.data);
      return true;
    }
    const serverError: AppErrorBody =
      typeof reply.error === "object" && reply.error !== null ? (reply.error as AppErrorBody) : {};
    this.fail(
      entry,
      new SocketError(
        "action_failed",
        entry.action,
        seq,
        `send("${entry.action}") (seq ${seq}) failed on the server: ${serverError.message ?? `status ${String(reply.status)}`} (${serverError.status_code ?? "?"} ${serverError.id ?? "no error id"})`,
        { serverError },
      ),
    );
    return true;
  }

  /** A connection is ready: write the waiting requests in call order, then every new one at once. */
  attach(writer: FrameWriter): void {
    this.writer = writer;
    const waiting = this.outbox;
    this.outbox = [];
    for (let i = 0; i < waiting.length; i++) {
      const entry = waiting[i] as Pending;
      if (this.writer !== writer || !this.write(writer, entry)) {
        this.outbox.push(...waiting.slice(i));
        return;
      }
    }
  }

  /** The connection dropped: requests already written are rejected; waiting ones keep waiting. */
  detach(): void {
    this.writer = null;
    for (const entry of [...this.pending.values()]) {
      if (!entry.sent) continue;
      this.fail(
        entry,
        new SocketError(
          "connection_lost",
          entry.action,
          entry.seq,
          `send("${entry.action}") (seq ${entry.seq}): the connection dropped before the reply; the server may or may not have applied it, and it is not sent again`,
        ),
      );
    }
  }

  /** The socket closed: everything is rejected. */
  close(): void {
    this.writer = null;
    for (const entry of [...this.pending.values()]) {
      this.fail(entry, new SocketError("closed", entry.action, entry.seq, `send("${entry.action}"): the socket was closed before the reply`));
    }
  }

  private write(writer: FrameWriter, entry: Pending): boolean {
    if (!writer(entry.frame)) return false;
    entry.sent = true;
    return true;
  }

  private fail(entry: Pending, error: SocketError): void {
    if (!this.cleanup(entry)) return;
    entry.reject(error);
  }

  private cleanup(entry: Pending): boolean {
    if (!this.pending.delete(entry.seq)) return false;
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    if (entry.onAbort !== undefined) entry.signal?.removeEventListener("abort", entry.onAbort);
    if (!entry.sent) {
      const index = this.outbox.indexOf(entry);
      if (index >= 0) this.outbox.splice(index, 1);
    }
    return true;
  }
}

/** A `SocketError` for a request whose signal aborted; the signal's reason is the cause. */
export function aborted(action: string | null, seq: number | null, signal: AbortSignal): SocketError {
  return new SocketError("aborted", action, seq, `${action === null ? "ready()" : `send("${action}")`}: aborted by the caller's signal`, {
    cause: signal.reason,
  });
}

/** The UTF-8 length of a string, in bytes. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
