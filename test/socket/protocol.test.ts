// The socket's protocol decisions alone: values in, decisions out; no socket, no timer.
import { describe, expect, it } from "vitest";
import {
  CLOSE_CODES,
  MAX_SEQ_JUMP,
  PING_TIMEOUT_CODE,
  closeCodeOf,
  connectUrl,
  judgeDrop,
  judgeHello,
  judgeReply,
  judgeSeq,
  upgradeRefused,
} from "../../runtime/socket/protocol.js";
import type { DropReason, SocketState } from "../../runtime/socket/types.js";

describe("judgeSeq: where an event's seq stands", () => {
  it("the next one is delivered, one below is a replay", () => {
    expect(judgeSeq(0, 0, null)).toBe("next");
    expect(judgeSeq(7, 7, null)).toBe("next");
    expect(judgeSeq(6, 7, null)).toBe("replay");
    expect(judgeSeq(0, 7, null)).toBe("replay");
  });

  it("a jump up to MAX_SEQ_JUMP is a gap (skipped events), past it a number not believed", () => {
    expect(judgeSeq(8, 7, null)).toBe("gap");
    expect(judgeSeq(7 + MAX_SEQ_JUMP, 7, null)).toBe("gap");
    expect(judgeSeq(7 + MAX_SEQ_JUMP + 1, 7, null)).toBe("jump");
    expect(judgeSeq(1_000_000, 3, null)).toBe("jump");
  });

  it("the window is wider than all the server holds for a connection (send queue 256 + dead queue 128)", () => {
    expect(MAX_SEQ_JUMP).toBeGreaterThan(256 + 128);
    expect(judgeSeq(256 + 128, 0, null)).toBe("gap");
  });

  it("an event continuing a jump (seq = the jump's + 1) makes it believed: a gap", () => {
    expect(judgeSeq(1_000_001, 3, 1_000_001)).toBe("gap");
    // Any other number past the window is still not believed.
    expect(judgeSeq(1_000_005, 3, 1_000_001)).toBe("jump");
    // The correct next one is delivered whatever came before.
    expect(judgeSeq(3, 3, 1_000_001)).toBe("next");
  });
});

describe("judgeHello: what a hello means", () => {
  const data = { connection_id: "c1", server_version: "11.6.0.1.abc.false", server_hostname: "mm-1" };

  it("the first hello starts the first session", () => {
    expect(judgeHello(data, 0, null, 0)).toEqual({
      connectionId: "c1",
      serverVersion: "11.6.0.1.abc.false",
      serverHostname: "mm-1",
      first: true,
    });
  });

  it("a new connection id replaces the session (not first: events were lost)", () => {
    expect(judgeHello({ ...data, connection_id: "c2" }, 0, "c1", 40)).toMatchObject({ connectionId: "c2", first: false });
  });

  it("the same id with its numbering restarted is a new session too (the server lost its queue)", () => {
    expect(judgeHello(data, 0, "c1", 40)).toMatchObject({ connectionId: "c1", first: false });
  });

  it("the same id, numbered on, changes nothing", () => {
    expect(judgeHello(data, 40, "c1", 40)).toBeNull();
  });

  it("missing or odd fields: no connection id is malformed; others default", () => {
    expect(judgeHello({ server_version: "x" }, 0, null, 0)).toBeUndefined();
    expect(judgeHello({ connection_id: "" }, 0, null, 0)).toBeUndefined();
    expect(judgeHello(null, 0, null, 0)).toBeUndefined();
    expect(judgeHello({ connection_id: "c1", server_version: 11 }, 0, null, 0)).toEqual({
      connectionId: "c1",
      serverVersion: "",
      serverHostname: undefined,
      first: true,
    });
  });
});

describe("judgeReply: whom a reply is for", () => {
  // The challenge was written as seq 9, the ping probe as 10.
  const probe = 10;

  it("while authenticating, an error reply to the challenge or the probe is a refusal", () => {
    expect(judgeReply(9, false, true, probe, false)).toBe("refused");
    expect(judgeReply(10, false, true, probe, true)).toBe("refused");
  });

  it("the probe's reply while resuming confirms the resume; on a first connection it is nothing", () => {
    expect(judgeReply(10, true, true, probe, true)).toBe("resumed");
    expect(judgeReply(10, true, true, probe, false)).toBe("handshake");
    expect(judgeReply(9, true, true, probe, true)).toBe("handshake");
  });

  it("any other reply is an action's, also during the handshake and once open", () => {
    expect(judgeReply(8, true, true, probe, true)).toBe("action");
    expect(judgeReply(11, false, true, probe, true)).toBe("action");
    expect(judgeReply(10, true, false, probe, true)).toBe("action");
    expect(judgeReply(9, false, false, probe, false)).toBe("action");
  });
});

describe("judgeDrop: the close-reason table", () => {
  const closed = (code: number): DropReason => ({ kind: "closed", code, reason: "" });
  const verdicts = (code: number): Record<SocketState, string> => {
    const states: SocketState[] = ["connecting", "authenticating", "open", "reconnecting", "closed"];
    return Object.fromEntries(states.map((state) => [state, judgeDrop(closed(code), state)])) as Record<SocketState, string>;
  };

  it("1006 after the upgrade and before the hello (the real server's refusal of a token) checks the token", () => {
    expect(judgeDrop(closed(1006), "authenticating")).toBe("check_token");
  });

  it("1006 anywhere else (the network) resumes", () => {
    expect(judgeDrop(closed(1006), "open")).toBe("resume");
    expect(judgeDrop(closed(1006), "connecting")).toBe("resume");
  });

  it("normal closes, restarts and server errors resume, whatever the state", () => {
    for (const code of [1000, 1001, 1005, 1009, 1011, 1012, 1013, 1014, 4000, 4999]) {
      expect(verdicts(code), `code ${code}`).toMatchObject({ connecting: "resume", open: "resume" });
      expect(judgeDrop(closed(code), "open"), `code ${code}`).toBe("resume");
    }
  });

  it("a broken stream (1002, 1003, 1007) starts a new session", () => {
    for (const code of [1002, 1003, 1007]) expect(judgeDrop(closed(code), "open"), `code ${code}`).toBe("new_session");
  });

  it("policy and authorization closes (1008, 3000, 3003) check the token; a TLS failure (1015) gives up", () => {
    for (const code of [1008, 3000, 3003]) expect(judgeDrop(closed(code), "open"), `code ${code}`).toBe("check_token");
    expect(judgeDrop(closed(1015), "connecting")).toBe("give_up");
  });

  it("a refusal gives up; pings, timeouts and transport errors resume", () => {
    expect(judgeDrop({ kind: "auth_failed", message: "401" }, "connecting")).toBe("give_up");
    expect(judgeDrop({ kind: "ping_failed", message: "timeout" }, "open")).toBe("resume");
    expect(judgeDrop({ kind: "connect_timeout", timeoutMs: 30_000 }, "authenticating")).toBe("resume");
    expect(judgeDrop({ kind: "error", message: "ECONNREFUSED" }, "connecting")).toBe("resume");
  });

  it("the table lists only decisions other than resume", () => {
    expect(Object.values(CLOSE_CODES).every((verdict) => verdict !== "resume")).toBe(true);
  });
});

describe("closeCodeOf: how a drop is reported on the next connection", () => {
  it("a close's own code, 4000 for an unanswered ping, nothing for timeouts and errors", () => {
    expect(closeCodeOf({ kind: "closed", code: 1006, reason: "" })).toBe(1006);
    expect(closeCodeOf({ kind: "closed", code: 1001, reason: "going away" })).toBe(1001);
    expect(PING_TIMEOUT_CODE).toBe(4000);
    expect(closeCodeOf({ kind: "ping_failed", message: "no reply within 60 ms" })).toBe(PING_TIMEOUT_CODE);
    expect(closeCodeOf({ kind: "connect_timeout", timeoutMs: 50 })).toBeNull();
    expect(closeCodeOf({ kind: "error", message: "boom" })).toBeNull();
  });
});

describe("upgradeRefused: a transport error that is a refused token", () => {
  it("ws's message for a 401 on the upgrade, and only that status", () => {
    expect(upgradeRefused("Unexpected server response: 401")).toBe(true);
    expect(upgradeRefused("Unexpected server response: 4011")).toBe(false);
    expect(upgradeRefused("Unexpected server response: 403")).toBe(false);
    expect(upgradeRefused("WebSocket error")).toBe(false);
  });
});

describe("connectUrl: what a connection attempt asks for", () => {
  const endpoint = new URL("wss://chat.example.com/api/v4/websocket");

  it("a first connection asks for nothing", () => {
    expect(connectUrl(endpoint, null, 0)).toBe("wss://chat.example.com/api/v4/websocket");
  });

  it("a resume names the session and the next seq wanted, and reports how the last connection ended", () => {
    const url = new URL(connectUrl(endpoint, "abc", 42, false, 1006));
    expect(Object.fromEntries(url.searchParams)).toEqual({ connection_id: "abc", sequence_number: "42", disconnect_err_code: "1006" });
  });

  it("a new session after a drop sends no session, still the close code; posted_ack when asked", () => {
    const url = new URL(connectUrl(endpoint, null, 42, true, 4000));
    expect(Object.fromEntries(url.searchParams)).toEqual({ posted_ack: "true", disconnect_err_code: "4000" });
  });

  it("leaves the endpoint itself alone", () => {
    connectUrl(endpoint, "abc", 1, true, 1000);
    expect(endpoint.search).toBe("");
  });
});
