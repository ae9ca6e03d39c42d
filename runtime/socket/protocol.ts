/**
 * The socket's protocol decisions, as plain functions of values: where an event's `seq` stands,
 * what a `hello` means, whom a reply is for, and what a closed connection means (the close-reason
 * table). They read no clock, hold no state and touch no socket: `socket.ts` feeds them what it
 * knows and acts on what they return, and test/socket/protocol.test.ts checks them alone.
 */
import type { DropReason, HelloSignal, SocketState } from "./types.js";

// --- sequence numbers ------------------------------------------------------------------------

/**
 * The largest forward jump of `seq` taken for a gap (events the server skipped) rather than for a
 * number not to be believed. The server cannot skip more than it holds for a connection: its send
 * queue (256 events not yet written) and its dead queue (the last 128 written); 1 024 leaves room.
 */
export const MAX_SEQ_JUMP = 1024;

/**
 * Where an event numbered `seq` stands when `expected` is the next one wanted:
 * - `next`: the one wanted; deliver it.
 * - `replay`: below it, a replay of one already delivered; drop it.
 * - `gap`: above it by at most `MAX_SEQ_JUMP` (or continuing an earlier jump, `suspect`): the
 *   server skipped `expected`..`seq - 1`; signal them lost, then deliver it and go on from there.
 * - `jump`: far above it: a number not to be believed. Neither delivered nor followed (the events
 *   after it, numbered from `expected`, are still delivered); reported. If the very next event
 *   continues from it (`seq` = `suspect`, the jump's seq + 1), the server really numbers from
 *   there, and that event is a `gap`.
 */
export type SeqVerdict = "next" | "replay" | "gap" | "jump";

export function judgeSeq(seq: number, expected: number, suspect: number | null): SeqVerdict {
  return seq === expected ? "next" : seq < expected ? "replay" : seq - expected <= MAX_SEQ_JUMP || seq === suspect ? "gap" : "jump";
}

// --- hello ---------------------------------------------------------------------------------

/**
 * What a `hello` numbered `seq` means, given the current session (`connectionId`, `null` before
 * the first) and the next seq wanted:
 * - a `HelloSignal`: a new session starts, numbered from `seq` (a new `connection_id`, or the same
 *   one with its numbering restarted); `first` tells whether it replaces one (then events were lost);
 * - `null`: the current session goes on; nothing changes;
 * - `undefined`: a hello without a `connection_id`; it is malformed.
 */
export function judgeHello(data: unknown, seq: number, connectionId: string | null, expected: number): HelloSignal | null | undefined {
  const { connection_id: id, server_version: version, server_hostname: hostname } = (data ?? {}) as Record<string, unknown>;
  if (typeof id !== "string" || !id) return undefined;
  return id !== connectionId || seq < expected
    ? {
        connectionId: id,
        serverVersion: typeof version === "string" ? version : "",
        serverHostname: typeof hostname === "string" ? hostname : undefined,
        first: connectionId === null,
      }
    : null;
}

// --- replies -------------------------------------------------------------------------------

/**
 * Whom a reply (`seq_reply` = `seq`, `ok` when its status is `OK`) is for. During the handshake
 * (`authenticating`) the socket has written the `authentication_challenge` as `probeSeq - 1` and a
 * `ping` probe as `probeSeq`:
 * - `refused`: an error reply to either: the server refused the token;
 * - `resumed`: the probe's reply while resuming (`resuming`), with no `hello` before it: the server
 *   kept the session, and whatever it replayed came before this reply;
 * - `handshake`: another reply to the handshake (the probe on a first connection, where the hello
 *   came first); nothing to do;
 * - `action`: the reply to a `send`: settle the request numbered `seq`, if one waits.
 */
export type ReplyVerdict = "refused" | "resumed" | "handshake" | "action";

export function judgeReply(seq: number, ok: boolean, authenticating: boolean, probeSeq: number, resuming: boolean): ReplyVerdict {
  return !authenticating || seq < probeSeq - 1 || seq > probeSeq
    ? "action"
    : !ok
      ? "refused"
      : seq === probeSeq && resuming
        ? "resumed"
        : "handshake";
}

// --- closes: the close-reason table ------------------------------------------------------------

/**
 * What to do after a connection ends:
 * - `resume`: reconnect and ask the server to resume the session (`connection_id`, `sequence_number`);
 * - `new_session`: reconnect without asking (what was received cannot be trusted to resume from);
 *   the new session's hello signals `socket:lost`;
 * - `check_token`: as `resume`, but first ask the REST API whether the token is refused
 *   (`GET /api/v4/users/me` answering 401): if it is, give up with `auth_failed`;
 * - `give_up`: close the socket for good (`socket:close`).
 */
export type CloseVerdict = "resume" | "new_session" | "check_token" | "give_up";

/**
 * The close codes by what they mean here. A code not listed resumes. `socket.ts` asks
 * `judgeDrop`, which adds what preceded the close.
 */
export const CLOSE_CODES: Readonly<Record<number, CloseVerdict>> = {
  // 1000 normal, 1001 going away (a proxy or the server restarting), 1005 no status (the server's
  // hub closing the connection sends an empty close frame), 1006 no close frame at all (the network,
  // or the server closing the TCP connection), 1009 too big, 1011 internal error, 1012 restart,
  // 1013 try again later, 1014 bad gateway, 4000 a ping unanswered: the session may be kept; resume.
  // 1002 protocol error, 1003 unsupported data, 1007 invalid payload: the stream was broken; what
  // was read of it is no place to resume from.
  1002: "new_session",
  1003: "new_session",
  1007: "new_session",
  // 1008 policy violation (what proxies in front of a server send for a refused credential),
  // 3000 unauthorized and 3003 forbidden (the IANA registry's): the token may be refused.
  1008: "check_token",
  3000: "check_token",
  3003: "check_token",
  // 1015: the TLS handshake failed (browsers): a certificate the platform refuses; retrying does not help.
  1015: "give_up",
};

/**
 * What a dropped connection means, from why it dropped and the state it was in (`connecting`:
 * the transport never opened; `authenticating`: opened, the challenge sent, not ready; `open`).
 *
 * The real server takes a refused token this way: it accepts the upgrade, reads the
 * authentication challenge, and closes the TCP connection without a close frame (1006). So a 1006
 * after the upgrade and before the hello is checked against the REST API; every other 1006 (the
 * network) resumes.
 */
export function judgeDrop(reason: DropReason, state: SocketState): CloseVerdict {
  if (reason.kind === "auth_failed") return "give_up";
  if (reason.kind !== "closed") return "resume";
  return reason.code === 1006 && state === "authenticating" ? "check_token" : (CLOSE_CODES[reason.code] ?? "resume");
}

/** The close code for a connection given up after a failed ping (the server's `clientPingTimeoutErrCode`). */
export const PING_TIMEOUT_CODE = 4000;

/**
 * How a dropped connection ended, as the next connection reports it (`disconnect_err_code`, as the
 * webapp does) and as the client closes it: the close's code, `PING_TIMEOUT_CODE` after a failed
 * ping, `null` for anything else (a timeout, an error: the client closes with 1000).
 */
export function closeCodeOf(reason: DropReason): number | null {
  return reason.kind === "closed" ? reason.code : reason.kind === "ping_failed" ? PING_TIMEOUT_CODE : null;
}

/** Whether a transport error is the server refusing the upgrade request's token: `ws` says "Unexpected server response: 401"; browsers say nothing. */
export function upgradeRefused(message: string): boolean {
  return /server response: 401\b/.test(message);
}

// --- the connection request --------------------------------------------------------------------

/**
 * The URL of a connection attempt: the endpoint with `connection_id` and `sequence_number` (the
 * next seq wanted) when asking to resume session `resumeId`, `posted_ack` when asked for, and
 * `disconnect_err_code` when the last connection ended with a code (`closeCodeOf`).
 */
export function connectUrl(
  endpoint: URL,
  resumeId: string | null,
  nextSeq: number,
  postedAck?: boolean,
  lastCloseCode?: number | null,
): string {
  const url = new URL(endpoint);
  const query = url.searchParams;
  if (resumeId) {
    query.set("connection_id", resumeId);
    query.set("sequence_number", `${nextSeq}`);
  }
  if (postedAck) query.set("posted_ack", "true");
  if (lastCloseCode) query.set("disconnect_err_code", `${lastCloseCode}`);
  return url.href;
}
