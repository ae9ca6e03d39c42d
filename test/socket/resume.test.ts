import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { LostSignal, ResumedSignal, WebSocketConstructor } from "../../runtime/socket/types.js";
import { MockSocketServer, type MockSocketServerOptions } from "../support/mock-socket-server.js";
import { type TestSocket, delay, recordSignals, testSocket, until } from "./helpers.js";

let server: MockSocketServer;
let socket: TestSocket;

async function setup(serverOptions: MockSocketServerOptions = {}, socketOptions: Parameters<typeof testSocket>[1] = {}): Promise<void> {
  server = await MockSocketServer.start(serverOptions);
  socket = testSocket(server.url, socketOptions);
}

afterEach(async () => {
  await socket.close();
  await server.close();
});

/** Records the `n` of every tick, and every (connection id, seq) delivered. */
function recordTicks(target: TestSocket): { ticks: number[]; delivered: { connectionId: string | null; seq: number }[] } {
  const ticks: number[] = [];
  const delivered: { connectionId: string | null; seq: number }[] = [];
  target.on("tick", (ev) => void ticks.push(ev.data.n));
  target.on("*", (ev) => void delivered.push({ connectionId: target.connectionId, seq: ev.seq }));
  return { ticks, delivered };
}

function payloads<T>(signals: { name: string; payload: unknown }[], name: string): T[] {
  return signals.filter((s) => s.name === name).map((s) => s.payload as T);
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** Publishes ticks `from` to `to - 1`. */
function publishTicks(from: number, to: number): void {
  for (let n = from; n < to; n++) server.publish("tick", { n });
}

/** Drops the connection and keeps the client out (connections refused) while ticks `from` to `to - 1` are published. */
function dropDuring(from: number, to: number): void {
  server.refuseConnections(true);
  server.terminateAll();
  publishTicks(from, to);
}

describe("resume", () => {
  it("replays what was missed after a drop, without a second hello", async () => {
    await setup();
    const { ticks } = recordTicks(socket);
    const signals = recordSignals(socket);
    let hellos = 0;
    socket.on("hello", () => void hellos++);
    await socket.ready();
    const connectionId = socket.connectionId;
    publishTicks(0, 5);
    await until(() => ticks.length === 5, "five ticks");

    dropDuring(5, 10);
    await until(() => payloads(signals, "socket:reconnecting").length > 0, "the drop");
    server.refuseConnections(false);
    await until(() => ticks.length === 10, "the replay");
    await until(() => socket.state === "open", "ready again");

    expect(ticks).toEqual(range(0, 10));
    expect(hellos).toBe(1);
    expect(socket.connectionId).toBe(connectionId);
    const last = server.connects.at(-1);
    expect(last).toMatchObject({ connectionId, sequenceNumber: "6", outcome: "resumed", replayed: 5, headerAuth: true });
    const [resumed] = payloads<ResumedSignal>(signals, "socket:resumed");
    expect(resumed).toMatchObject({ connectionId, replayed: 5 });
    expect(resumed?.disconnectedMs).toBeGreaterThan(0);
    expect(payloads(signals, "socket:lost")).toEqual([]);
    // The drop's close code is reported to the server on the next connection, as the webapp does.
    expect(last?.query.disconnect_err_code).toBe("1006");
  });

  it("resumes with nothing to replay when nothing was missed", async () => {
    await setup();
    const signals = recordSignals(socket);
    await socket.ready();
    server.terminateAll();
    await until(() => payloads(signals, "socket:resumed").length === 1, "the resume");
    expect(payloads<ResumedSignal>(signals, "socket:resumed")[0]?.replayed).toBe(0);
    expect(server.connects.at(-1)?.outcome).toBe("lossless");
  });

  it("delivers every event exactly once and in order through 50 abrupt terminations during 2,000 events", async () => {
    await setup({}, { reconnect: { initialDelayMs: 1, maxDelayMs: 20, factor: 2, jitter: 0.5 } });
    const { ticks, delivered } = recordTicks(socket);
    const signals = recordSignals(socket);
    await socket.ready();

    const total = 2_000;
    let kills = 0;
    let handshakeKills = 0;
    const resumes = (): number => payloads(signals, "socket:resumed").length;
    for (let n = 0; n < total; n++) {
      server.publish("tick", { n });
      if (n % 40 === 20) {
        // Each kill hits a ready connection (the last one resumed), however long the reconnect took,
        // so every kill must end in a resume of its own: the count below does not depend on timing.
        await until(() => socket.state === "open" && resumes() >= kills, `resume ${kills} before kill ${kills + 1}`, 10_000);
        server.terminateAll();
        kills++;
        if (kills % 3 === 0) {
          // The next connection also dies, right after the server wrote its replay: mid-handshake.
          server.onAccept = () => {
            server.onAccept = undefined;
            handshakeKills++;
            setImmediate(() => server.terminateAll());
          };
        }
      }
      if (n % 4 === 0) await delay(1);
    }
    await until(() => ticks.length >= total && resumes() >= kills, `${total} ticks (got ${ticks.length})`, 15_000);
    // Anything delivered twice would follow the last tick: a ping's reply comes after it.
    await socket.send("ping");

    expect(kills).toBe(50);
    // Kills 3, 6, ..., 48 each arm one handshake kill, taken by the next connection before the next kill.
    expect(handshakeKills).toBe(16);
    expect(ticks).toEqual(range(0, total));
    expect(payloads<LostSignal>(signals, "socket:lost")).toEqual([]);
    expect(payloads(signals, "socket:hello")).toHaveLength(1);
    // One session throughout, its seqs strictly increasing.
    expect(new Set(delivered.map((d) => d.connectionId)).size).toBe(1);
    for (let i = 1; i < delivered.length; i++)
      expect((delivered[i] as { seq: number }).seq).toBe((delivered[i - 1] as { seq: number }).seq + 1);
    const outcomes = server.connects.slice(1).map((c) => c.outcome);
    expect(outcomes.every((o) => o === "resumed" || o === "lossless")).toBe(true);
    expect(server.connects.slice(1).reduce((sum, c) => sum + c.replayed, 0)).toBeGreaterThan(0);
    // One resume per kill; a handshake kill that came after the probe's reply adds one more.
    expect(resumes()).toBeGreaterThanOrEqual(kills);
    expect(resumes()).toBeLessThanOrEqual(kills + handshakeKills);
  }, 30_000);

  it("drops events the server replays twice (dedupe by seq)", async () => {
    await setup({ replayOverlap: 5 });
    const { ticks } = recordTicks(socket);
    await socket.ready();
    publishTicks(0, 10);
    await until(() => ticks.length === 10, "ten ticks");
    dropDuring(10, 13);
    await delay(20);
    server.refuseConnections(false);
    await until(() => socket.state === "open" && ticks.length >= 13, "the replay");
    // A reply comes after every frame the server wrote before it: any duplicate would be in by now.
    await socket.send("ping");
    expect(server.connects.at(-1)?.replayed).toBe(8);
    expect(ticks).toEqual(range(0, 13));
  });
});

describe("loss is never silent", () => {
  it("signals lost (new_session) when the missed events left the mock's 128-event replay buffer (the server's dead queue)", async () => {
    await setup();
    const { ticks } = recordTicks(socket);
    const signals = recordSignals(socket);
    await socket.ready();
    const firstId = socket.connectionId;
    publishTicks(0, 3);
    await until(() => ticks.length === 3, "three ticks");

    dropDuring(3, 203);
    await delay(30);
    server.refuseConnections(false);
    await until(() => payloads(signals, "socket:lost").length === 1, "the lost signal");
    await until(() => socket.state === "open", "ready again");
    server.publish("tick", { n: 1_000 });
    await until(() => ticks.length === 4, "the tick after the loss");

    const [lost] = payloads<LostSignal>(signals, "socket:lost");
    expect(lost).toMatchObject({
      reason: "new_session",
      fromSeq: 4,
      toSeq: null,
      previousConnectionId: firstId,
      connectionId: socket.connectionId,
    });
    expect(lost?.disconnectedMs).toBeGreaterThanOrEqual(25);
    expect(lost?.disconnectedAt).toBeLessThan(Date.now());
    expect(socket.connectionId).not.toBe(firstId);
    expect(ticks).toEqual([0, 1, 2, 1_000]);
    expect(server.connects.at(-1)).toMatchObject({ outcome: "new_session", sequenceNumber: "4" });
    // lost comes first, then the new session's hello signal.
    const order = signals.map((s) => s.name).filter((n) => n === "socket:lost" || n === "socket:hello");
    expect(order).toEqual(["socket:hello", "socket:lost", "socket:hello"]);
    expect(payloads(signals, "socket:hello")[1]).toMatchObject({ first: false });
  });

  it("signals lost (new_session) after a server restart", async () => {
    await setup();
    const signals = recordSignals(socket);
    await socket.ready();
    server.forgetSessions();
    server.terminateAll();
    await until(() => payloads(signals, "socket:lost").length === 1, "the lost signal");
    expect(server.connects.at(-1)?.outcome).toBe("fresh");
  });

  it("signals lost (sequence_gap) when the server skips sequence numbers, and still delivers the event", async () => {
    await setup();
    const { ticks } = recordTicks(socket);
    const signals = recordSignals(socket);
    await socket.ready();
    server.publish("tick", { n: 0 });
    server.skipSeq(3);
    server.publish("tick", { n: 1 });
    await until(() => ticks.length === 2, "two ticks");
    expect(payloads<LostSignal>(signals, "socket:lost")).toEqual([
      {
        reason: "sequence_gap",
        fromSeq: 2,
        toSeq: 4,
        previousConnectionId: socket.connectionId,
        connectionId: socket.connectionId,
        disconnectedAt: null,
        disconnectedMs: 0,
      },
    ]);
  });

  it("a frame numbered 1,000,000 does not silence the socket: reported as sequence_jump, later events delivered in order", async () => {
    await setup();
    const { ticks, delivered } = recordTicks(socket);
    const signals = recordSignals(socket);
    await socket.ready();
    server.publish("tick", { n: 0 });
    await until(() => ticks.length === 1, "the first tick");
    const tick = (n: number, seq: number) => JSON.stringify({ event: "tick", data: { n }, broadcast: {}, seq });
    server.publishRaw(tick(-1, 1_000_000));
    // The server's own numbering goes on from 2 (hello 0, tick 1).
    publishTicks(1, 4);
    await until(() => ticks.length === 4, "the ticks after the bad frame");
    expect(ticks).toEqual([0, 1, 2, 3]);
    expect(delivered.map((entry) => entry.seq)).toEqual([0, 1, 2, 3, 4]);
    const errors = payloads<{ code: string; seq: number; expected: number; frame: { data: unknown } }>(signals, "socket:error");
    expect(errors).toMatchObject([{ code: "sequence_jump", seq: 1_000_000, expected: 2, frame: { data: { n: -1 } } }]);
    expect(payloads(signals, "socket:lost")).toEqual([]);
    expect(socket.lastSeq).toBe(4);
  });

  it("a jump the next event continues is believed: lost (sequence_gap) for the numbers skipped, then delivered", async () => {
    await setup();
    const { ticks } = recordTicks(socket);
    const signals = recordSignals(socket);
    await socket.ready();
    const tick = (n: number, seq: number) => JSON.stringify({ event: "tick", data: { n }, broadcast: {}, seq });
    server.publishRaw(tick(0, 5_000));
    server.publishRaw(tick(1, 5_001));
    server.publishRaw(tick(2, 5_002));
    await until(() => ticks.length === 2, "the ticks after the jump");
    await socket.send("ping");
    expect(ticks).toEqual([1, 2]);
    expect(payloads(signals, "socket:error")).toMatchObject([{ code: "sequence_jump", seq: 5_000, expected: 1 }]);
    expect(payloads<LostSignal>(signals, "socket:lost")).toMatchObject([{ reason: "sequence_gap", fromSeq: 1, toSeq: 5_000 }]);
    expect(socket.lastSeq).toBe(5_002);
  });

  it("cannot resume without the Authorization header (browsers), and says so on every reconnect", async () => {
    class HeaderlessWebSocket extends WebSocket {
      constructor(url: string) {
        super(url);
      }
    }
    await setup({}, { WebSocket: HeaderlessWebSocket as unknown as WebSocketConstructor });
    const signals = recordSignals(socket);
    await socket.ready();
    server.terminateAll();
    await until(() => payloads(signals, "socket:lost").length === 1, "the first lost signal");
    await until(() => socket.state === "open", "ready again");
    server.terminateAll();
    await until(() => payloads(signals, "socket:lost").length === 2, "the second lost signal");
    expect(server.connects.slice(1).every((c) => c.outcome === "challenge" && c.connectionId !== null)).toBe(true);
  });
});
