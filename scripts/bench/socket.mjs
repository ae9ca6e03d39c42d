#!/usr/bin/env node
/**
 * Dispatch throughput of the WebSocket client (runtime/socket).
 *
 * Feeds a fixed, realistic mix of server frames (posted, typing, status_change, reactions, thread
 * and preference updates, ...) through the socket's whole receive path (JSON.parse, seq check,
 * decoding of the JSON-text fields, lookup of the handlers by event name, handler call), and
 * through a bare loop doing only JSON.parse, the same decoding and one handler call, and (with
 * --client4) through @mattermost/client's WebSocketClient (its JSON.parse and seq check, then a
 * listener doing the same decoding, which its users write themselves); all in the same process,
 * taking turns in chunks of 20 000 events. The sockets run over a fake in-memory WebSocket, so no
 * network time is counted. Prints the rates, the ratio to the bare loop (target >= 0.8), and the
 * heap after a forced GC every 250 000 events over 1 000 000 events (target: flat).
 *
 * Usage: npm run bench:socket [-- --events 1000000 --rounds 1 --client4 --check]
 *   --check  exit with status 1 when a target is missed
 * The TypeScript sources are bundled with esbuild into a temporary directory first.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import v8 from "node:v8";
import vm from "node:vm";
import { build } from "esbuild";

const CHUNK = 20_000;
export const TARGET_RATIO = 0.8;
export const FLAT_HEAP_MB = 8;

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");

// --- the recorded mix ----------------------------------------------------------------------------

let state = 0x2f6b1d;
const random = () => {
  state = (state * 1103515245 + 12345) >>> 0;
  return state / 2 ** 32;
};
const id = () => Array.from({ length: 26 }, () => "abcdefghijkmnopqrstuwxyz13456789"[Math.floor(random() * 32)]).join("");
const at = () => 1_732_350_000_000 + Math.floor(random() * 1e9);
const words = "deploy release build green checks review merged please look at the dashboard thanks on it tomorrow standup notes".split(" ");
const sentence = (n) => Array.from({ length: n }, () => words[Math.floor(random() * words.length)]).join(" ");

const team = id();
const channels = Array.from({ length: 8 }, id);
const users = Array.from({ length: 12 }, id);
const pick = (list) => list[Math.floor(random() * list.length)];

function post(channel, user) {
  return {
    id: id(),
    create_at: at(),
    update_at: at(),
    edit_at: 0,
    delete_at: 0,
    is_pinned: false,
    user_id: user,
    channel_id: channel,
    root_id: random() < 0.3 ? id() : "",
    original_id: "",
    message: sentence(6 + Math.floor(random() * 30)),
    type: "",
    props: { disable_group_highlight: true, from_bot: random() < 0.1 ? "true" : undefined },
    hashtags: "",
    pending_post_id: `${user}:${at()}`,
    reply_count: Math.floor(random() * 5),
    last_reply_at: 0,
    participants: null,
    metadata: { embeds: [], emojis: [], files: [], images: {}, reactions: [], priority: { priority: "", requested_ack: false } },
  };
}

const broadcast = (fields) => ({
  omit_users: null,
  user_id: "",
  channel_id: "",
  team_id: "",
  connection_id: "",
  omit_connection_id: "",
  ...fields,
});

const shapes = [
  [
    30,
    () => {
      const channel = pick(channels);
      const user = pick(users);
      const data = {
        channel_display_name: "Town Square",
        channel_name: "town-square",
        channel_type: "O",
        post: JSON.stringify(post(channel, user)),
        sender_name: "@alice",
        set_online: true,
        team_id: team,
      };
      if (random() < 0.3) data.mentions = JSON.stringify([pick(users)]);
      if (random() < 0.2) data.followers = JSON.stringify([pick(users), pick(users)]);
      return { event: "posted", data, broadcast: broadcast({ channel_id: channel }) };
    },
  ],
  [
    20,
    () => ({
      event: "typing",
      data: { parent_id: "", user_id: pick(users) },
      broadcast: broadcast({ channel_id: pick(channels), omit_users: { [pick(users)]: true } }),
    }),
  ],
  [
    14,
    () => ({
      event: "status_change",
      data: { status: pick(["online", "away", "dnd", "offline"]), user_id: pick(users) },
      broadcast: broadcast({ user_id: pick(users) }),
    }),
  ],
  [7, () => ({ event: "channel_viewed", data: { channel_id: pick(channels) }, broadcast: broadcast({ user_id: pick(users) }) })],
  [
    3,
    () => ({
      event: "multiple_channels_viewed",
      data: { channel_times: Object.fromEntries(channels.slice(0, 4).map((c) => [c, at()])) },
      broadcast: broadcast({ user_id: pick(users) }),
    }),
  ],
  [
    6,
    () => {
      const channel = pick(channels);
      const reaction = {
        user_id: pick(users),
        post_id: id(),
        emoji_name: pick(["+1", "tada", "eyes", "white_check_mark"]),
        create_at: at(),
        update_at: at(),
        delete_at: 0,
        remote_id: "",
        channel_id: channel,
      };
      return { event: "reaction_added", data: { reaction: JSON.stringify(reaction) }, broadcast: broadcast({ channel_id: channel }) };
    },
  ],
  [
    5,
    () => {
      const channel = pick(channels);
      return {
        event: "post_edited",
        data: { post: JSON.stringify(post(channel, pick(users))) },
        broadcast: broadcast({ channel_id: channel }),
      };
    },
  ],
  [
    5,
    () => {
      const root = post(pick(channels), pick(users));
      const thread = {
        id: root.id,
        reply_count: 3,
        last_reply_at: at(),
        last_viewed_at: at(),
        participants: [
          { id: pick(users), username: "alice" },
          { id: pick(users), username: "bob" },
        ],
        post: root,
        unread_replies: 1,
        unread_mentions: 0,
        is_urgent: false,
      };
      return {
        event: "thread_updated",
        data: { thread: JSON.stringify(thread) },
        broadcast: broadcast({ team_id: team, user_id: pick(users) }),
      };
    },
  ],
  [
    3,
    () => {
      const preferences = [{ user_id: pick(users), category: "display_settings", name: "use_military_time", value: "false" }];
      return {
        event: "preferences_changed",
        data: { preferences: JSON.stringify(preferences) },
        broadcast: broadcast({ user_id: pick(users) }),
      };
    },
  ],
  [
    3,
    () => {
      const user = {
        id: pick(users),
        create_at: at(),
        update_at: at(),
        delete_at: 0,
        username: "alice",
        first_name: "Alice",
        last_name: "Liddell",
        nickname: "",
        email: "",
        position: "Engineer",
        roles: "system_user",
        locale: "en",
        timezone: { automaticTimezone: "Europe/Berlin", manualTimezone: "", useAutomaticTimezone: "true" },
        props: {},
        notify_props: {},
        last_picture_update: at(),
      };
      return { event: "user_updated", data: { user }, broadcast: broadcast({}) };
    },
  ],
  [
    2,
    () => {
      const member = {
        channel_id: pick(channels),
        user_id: pick(users),
        roles: "channel_user",
        last_viewed_at: at(),
        msg_count: 120,
        mention_count: 0,
        notify_props: { desktop: "default", push: "default", mark_unread: "all" },
        last_update_at: at(),
        scheme_user: true,
        scheme_admin: false,
      };
      return {
        event: "channel_member_updated",
        data: { channelMember: JSON.stringify(member) },
        broadcast: broadcast({ user_id: member.user_id }),
      };
    },
  ],
  [2, () => ({ event: "user_added", data: { team_id: team, user_id: pick(users) }, broadcast: broadcast({ channel_id: pick(channels) }) })],
];

/** The JSON-text fields of the events in the mix (as in the server facts, websocket-events.facts.json). */
const decoders = {
  channel_member_updated: ["channelMember"],
  post_edited: ["post"],
  posted: ["post", "mentions", "followers"],
  preferences_changed: ["preferences"],
  reaction_added: ["reaction"],
  thread_updated: ["thread"],
};

// 1 000 frame templates drawn by weight; a frame is its prefix + seq + "}".
const totalWeight = shapes.reduce((sum, [weight]) => sum + weight, 0);
const prefixes = Array.from({ length: 1_000 }, () => {
  let r = random() * totalWeight;
  const [, make] =
    shapes.find(([weight]) => {
      r -= weight;
      return r < 0;
    }) ?? shapes[0];
  return `${JSON.stringify(make()).slice(0, -1)},"seq":`;
});
const eventNames = [...new Set(prefixes.map((p) => JSON.parse(`${p}0}`).event))].sort();
const averageBytes = Math.round(prefixes.reduce((sum, p) => sum + p.length + 6, 0) / prefixes.length);

// --- the paths -----------------------------------------------------------------------------------

let sink = 0;
const handle = (ev) => {
  sink += ev.seq;
};
let handledBySocket = 0;
const handleOnSocket = (ev) => {
  handledBySocket++;
  sink += ev.seq;
};
let handledByClient4 = 0;

/** What a user of a socket without decoding does: parse the JSON-text fields, then handle. */
function decodeAndHandle(message) {
  const keys = decoders[message.event];
  if (keys !== undefined) {
    const data = message.data;
    for (let k = 0; k < keys.length; k++) {
      const value = data[keys[k]];
      if (typeof value === "string") data[keys[k]] = JSON.parse(value);
    }
  }
  handle(message);
}

let bareSeq = 1;
function bare(count) {
  for (let i = 0; i < count; i++) decodeAndHandle(JSON.parse(`${prefixes[i % prefixes.length] + bareSeq++}}`));
}

class FakeWebSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  static last;
  readyState = 0;
  onopen = null;
  onmessage = null;
  onerror = null;
  onclose = null;
  constructor() {
    FakeWebSocket.last = this;
    setTimeout(() => {
      this.readyState = 1;
      this.onopen?.({});
    });
  }
  send(frame) {
    const request = JSON.parse(frame);
    if (request.action === "authentication_challenge") {
      const hello = {
        event: "hello",
        data: { server_version: "11.6.0", connection_id: "benchconnectionid000000000" },
        broadcast: broadcast({}),
        seq: 0,
      };
      setTimeout(() => this.onmessage?.({ data: JSON.stringify(hello) }));
    }
  }
  close() {
    this.readyState = 3;
    setTimeout(() => this.onclose?.({ code: 1000, reason: "" }));
  }
}

const root = fileURLToPath(new URL("../../", import.meta.url));
const fmt = (n) => Math.round(n).toLocaleString("en-US");
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

/** @mattermost/client's WebSocketClient over the fake socket; its receive function, once the hello is in. */
async function connectClient4() {
  const { WebSocketClient } = createRequire(import.meta.url)("@mattermost/client");
  // It logs its connection steps to the console and reads `WebSocket.OPEN` from the global scope.
  globalThis.WebSocket ??= FakeWebSocket;
  const log = console.log;
  console.log = () => undefined;
  try {
    const client = new WebSocketClient({ newWebSocketFn: () => new FakeWebSocket() });
    let helloSeen;
    const hello = new Promise((resolve) => (helloSeen = resolve));
    client.addMessageListener((message) => {
      if (message.event === "hello") return helloSeen();
      handledByClient4++;
      decodeAndHandle(message);
    });
    client.initialize("ws://bench.invalid/api/v4/websocket", "bench");
    await hello;
    return { client, ws: FakeWebSocket.last };
  } finally {
    console.log = log;
  }
}

/**
 * Measures the dispatch rates. Returns events per second for each path, the ratio socket / bare
 * (median of the per-chunk ratios, each pair measured back to back) and the heap growth.
 */
export async function measureDispatch({ events = 1_000_000, rounds = 1, client4 = false } = {}) {
  const outDir = await mkdtemp(join(tmpdir(), "mattermost-typed-bench-socket-"));
  let socket;
  let official;
  try {
    const outfile = join(outDir, "socket.mjs");
    await build({
      entryPoints: [join(root, "runtime/socket/socket.ts")],
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      outfile,
      logLevel: "silent",
    });
    const { createSocket } = await import(pathToFileURL(outfile).href);
    socket = createSocket({
      url: "http://bench.invalid",
      token: "bench",
      WebSocket: FakeWebSocket,
      decoders,
      knownEvents: ["hello", ...eventNames],
      pingIntervalMs: 0,
    });
    const errors = [];
    socket.on("socket:error", (error) => errors.push(error));
    for (const name of eventNames) socket.on(name, handleOnSocket);
    await socket.ready();
    const ws = FakeWebSocket.last;
    const message = { data: "" };
    let socketSeq = 1;
    const viaSocket = (count) => {
      const receive = ws.onmessage;
      for (let i = 0; i < count; i++) {
        message.data = `${prefixes[i % prefixes.length] + socketSeq++}}`;
        receive(message);
      }
    };
    const paths = { bare, socket: viaSocket };
    let client4Seq = 1;
    if (client4) {
      official = await connectClient4();
      const client4Message = { data: "" };
      paths.client4 = (count) => {
        const receive = official.ws.onmessage;
        for (let i = 0; i < count; i++) {
          client4Message.data = `${prefixes[i % prefixes.length] + client4Seq++}}`;
          receive(client4Message);
        }
      };
    }
    const names = Object.keys(paths);
    const time = (run, count) => {
      const started = process.hrtime.bigint();
      run(count);
      return Number(process.hrtime.bigint() - started) / 1e9;
    };

    // Taking turns in chunks, so every path sees the same machine load.
    for (const name of names) time(paths[name], Math.min(200_000, events));
    const chunk = Math.min(CHUNK, events);
    const seconds = Object.fromEntries(names.map((name) => [name, 0]));
    const ratios = Object.fromEntries(names.map((name) => [name, []]));
    gc();
    for (let round = 0; round < rounds; round++) {
      for (let done = 0; done < events; done += chunk) {
        const count = Math.min(chunk, events - done);
        const taken = {};
        for (const name of names) {
          taken[name] = time(paths[name], count);
          seconds[name] += taken[name];
        }
        for (const name of names) ratios[name].push(taken.bare / taken[name]);
      }
    }
    const rate = (name) => (events * rounds) / seconds[name];
    const quartiles = (list) => {
      const sorted = [...list].sort((a, b) => a - b);
      return [sorted[Math.floor(sorted.length / 4)], sorted[Math.floor((3 * sorted.length) / 4)]];
    };

    // Heap over the run, after a full GC at each checkpoint.
    const heap = [];
    const step = Math.max(1, Math.floor(events / 4));
    gc();
    heap.push(process.memoryUsage().heapUsed);
    for (let done = 0; done < events; done += step) {
      viaSocket(Math.min(step, events - done));
      gc();
      heap.push(process.memoryUsage().heapUsed);
    }
    const fed = socketSeq - 1;
    const result = {
      frames: prefixes.length,
      eventTypes: eventNames.length,
      averageBytes,
      events: events * rounds,
      chunk,
      bareRate: rate("bare"),
      socketRate: rate("socket"),
      ratio: median(ratios.socket),
      ratioQuartiles: quartiles(ratios.socket),
      heapMiB: heap.map((bytes) => bytes / 2 ** 20),
      heapGrowthMiB: (heap.at(-1) - heap[0]) / 2 ** 20,
      socketErrors: errors.length,
      firstSocketError: errors[0]?.message,
      handledBySocket,
      fedToSocket: fed,
    };
    if (client4) {
      result.client4Rate = rate("client4");
      result.client4Ratio = median(ratios.client4);
      result.handledByClient4 = handledByClient4;
      result.fedToClient4 = client4Seq - 1;
    }
    result.ok = result.ratio >= TARGET_RATIO && result.heapGrowthMiB < FLAT_HEAP_MB && errors.length === 0 && handledBySocket === fed;
    return result;
  } finally {
    if (official !== undefined) {
      const log = console.log;
      console.log = () => undefined;
      official.client.close();
      console.log = log;
    }
    await socket?.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values: args } = parseArgs({
    options: {
      events: { type: "string", default: "1000000" },
      rounds: { type: "string", default: "1" },
      client4: { type: "boolean", default: false },
      check: { type: "boolean", default: false },
    },
  });
  const r = await measureDispatch({ events: Number(args.events), rounds: Number(args.rounds), client4: args.client4 });
  const mb = (value) => value.toFixed(1);
  console.log(
    `socket dispatch benchmark: ${r.frames} recorded frames of ${r.eventTypes} event types, ${r.averageBytes} bytes on average; ${fmt(r.events)} events per path, taking turns in chunks of ${fmt(r.chunk)}`,
  );
  console.log(`  bare JSON.parse + decode + handler : ${fmt(r.bareRate)} events/s`);
  console.log(`  socket dispatch                    : ${fmt(r.socketRate)} events/s`);
  if (r.client4Rate !== undefined)
    console.log(`  @mattermost/client WebSocketClient : ${fmt(r.client4Rate)} events/s (ratio ${r.client4Ratio.toFixed(3)})`);
  console.log(
    `  ratio socket / bare (median chunk) : ${r.ratio.toFixed(3)}   (quartiles ${r.ratioQuartiles[0].toFixed(3)}-${r.ratioQuartiles[1].toFixed(3)}; target >= ${TARGET_RATIO}) ${r.ratio >= TARGET_RATIO ? "ok" : "MISSED"}`,
  );
  console.log(
    `  heap after GC every ${fmt(r.events / 4)} events: ${r.heapMiB.map(mb).join(" -> ")} MB   (growth ${r.heapGrowthMiB.toFixed(1)} MB, target < ${FLAT_HEAP_MB}) ${r.heapGrowthMiB < FLAT_HEAP_MB ? "ok" : "MISSED"}`,
  );
  if (r.socketErrors > 0) console.log(`  socket:error signals: ${r.socketErrors} (first: ${r.firstSocketError})`);
  if (r.handledBySocket !== r.fedToSocket)
    console.log(`  handlers ran for ${fmt(r.handledBySocket)} of ${fmt(r.fedToSocket)} events fed to the socket`);
  if (r.handledByClient4 !== r.fedToClient4)
    console.log(`  WebSocketClient listeners ran for ${fmt(r.handledByClient4)} of ${fmt(r.fedToClient4)} events fed to it`);
  if (sink === 0) console.log("(no events handled)");
  if (args.check && !r.ok) process.exitCode = 1;
}
