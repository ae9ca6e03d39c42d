/**
 * `mattermost-typed listen`: opens the runtime's WebSocket client and prints the server's events as
 * they arrive, one line each (a human summary, or the event as JSON with `--json`). Reconnects as
 * the library does and says so: a resumed session lost nothing, a `lost` line means events were
 * missed. Ctrl-C (SIGINT) or SIGTERM closes the socket and exits 0.
 *
 * Like `call`, it loads the compiled runtime and generated tables only when it runs.
 */
import type { Argv, CommandModule } from "yargs";
import type { Io } from "../cli.js";
import {
  CALL_EXIT,
  EXIT_CODES_HELP,
  InputError,
  type ServerArgs,
  closeMatches,
  guarded,
  loadCompiled,
  readToken,
  redacting,
  serverOptions,
  serverUrl,
} from "./call.js";

// -------------------------------------------------------------------------------------------------
// What this command uses of the socket runtime (see the note in call.ts; test/cli checks these
// shapes against the real types).
// -------------------------------------------------------------------------------------------------

/** An event frame as the socket delivers it (JSON-text fields decoded). */
export interface EventFrame {
  readonly event: string;
  readonly data: unknown;
  readonly seq: number;
  readonly broadcast?: unknown;
}

export type DropReasonLike =
  | { readonly kind: "closed"; readonly code: number; readonly reason: string }
  | { readonly kind: "ping_failed"; readonly message: string }
  | { readonly kind: "connect_timeout"; readonly timeoutMs: number }
  | { readonly kind: "error"; readonly message: string }
  | { readonly kind: "auth_failed"; readonly message: string };

export interface SignalsLike {
  "socket:hello": { readonly connectionId: string; readonly serverVersion: string; readonly first: boolean };
  "socket:resumed": { readonly connectionId: string; readonly replayed: number; readonly disconnectedMs: number };
  "socket:reconnecting": { readonly attempt: number; readonly delayMs: number; readonly reason: DropReasonLike };
  "socket:lost": {
    readonly reason: "new_session" | "sequence_gap";
    readonly fromSeq: number;
    readonly toSeq: number | null;
    readonly previousConnectionId: string;
    readonly connectionId: string;
    readonly disconnectedMs: number;
  };
  "socket:close": { readonly reason: "closed" | "gave_up" | "auth_failed"; readonly lastDrop: DropReasonLike | undefined };
  "socket:error": { readonly code: string; readonly message: string; readonly frame?: EventFrame };
}

interface SocketLike {
  on(name: "*", handler: (event: EventFrame) => void): unknown;
  on<N extends keyof SignalsLike>(name: N, handler: (signal: SignalsLike[N]) => void): unknown;
  close(): Promise<void>;
}

/** `runtime/socket/index.js`. */
export interface SocketModule {
  createMattermostSocket(options: { readonly url: string; readonly token: string; readonly recover?: never }): SocketLike;
}

/** `runtime/index.js`, `runtime/recover/index.js` and `runtime/recover/file.js`, for `--recover`. */
export interface RecoverModules {
  createClient(options: { readonly baseUrl: string; readonly token: string }): unknown;
  recovery(options: { readonly client: never; readonly store?: never }): unknown;
  fileCursorStore(path: string): { load(): unknown };
}

/** `generated/events.js`. */
export interface EventsModule {
  readonly WebSocketEventNames: Readonly<Record<string, string>>;
}

// -------------------------------------------------------------------------------------------------
// Formatting
// -------------------------------------------------------------------------------------------------

function clock(date = new Date()): string {
  return `${date.toTimeString().slice(0, 8)}.${String(date.getMilliseconds()).padStart(3, "0")}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function scalar(value: unknown): string {
  if (typeof value === "string") return /^[\w.@:/-]+$/.test(value) ? value : JSON.stringify(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** One line for a person: time, event, seq, then the payload's fields (a post as `@sender: "message"`). */
export function formatEventLine(frame: EventFrame, known: boolean, width = 200): string {
  const data = typeof frame.data === "object" && frame.data !== null ? (frame.data as Record<string, unknown>) : {};
  const parts: string[] = [];
  const post = data.post;
  if (typeof post === "object" && post !== null && "message" in post) {
    const { id, channel_id, message } = post as { id?: unknown; channel_id?: unknown; message?: unknown };
    const who = typeof data.sender_name === "string" ? `${data.sender_name} ` : "";
    const where =
      typeof data.channel_display_name === "string" ? `in ${JSON.stringify(data.channel_display_name)} ` : `channel=${scalar(channel_id)} `;
    parts.push(`${who}${where}post=${scalar(id)}: ${JSON.stringify(message)}`);
  }
  for (const [key, value] of Object.entries(data)) {
    if (key === "post" && parts.length > 0) continue;
    if ((key === "sender_name" || key === "channel_display_name") && parts.length > 0) continue;
    parts.push(`${key}=${scalar(value)}`);
  }
  const line = `${clock()} ${frame.event}${known ? "" : " (not in the event catalog)"} seq=${frame.seq} ${parts.join(" ")}`.trimEnd();
  return line.length > width ? `${line.slice(0, width - 3)}...` : line;
}

function dropText(reason: DropReasonLike): string {
  switch (reason.kind) {
    case "closed":
      return `closed with code ${reason.code}${reason.reason === "" ? "" : ` (${reason.reason})`}`;
    case "ping_failed":
      return `no answer to a ping (${reason.message})`;
    case "connect_timeout":
      return `not ready within ${seconds(reason.timeoutMs)}`;
    case "error":
    case "auth_failed":
      return reason.message;
  }
}

/** The human line for a lifecycle signal (stderr), or `undefined` for none. */
export function formatSignalLine<N extends keyof SignalsLike>(name: N, signal: SignalsLike[N], url: string): string | undefined {
  const at = clock();
  switch (name) {
    case "socket:hello": {
      const hello = signal as SignalsLike["socket:hello"];
      return hello.first
        ? `${at} connected to ${new URL(url).host}: session ${hello.connectionId}, server ${hello.serverVersion}`
        : undefined;
    }
    case "socket:resumed": {
      const resumed = signal as SignalsLike["socket:resumed"];
      return `${at} resumed session ${resumed.connectionId} after ${seconds(resumed.disconnectedMs)}: no events lost (${resumed.replayed} replayed)`;
    }
    case "socket:reconnecting": {
      const next = signal as SignalsLike["socket:reconnecting"];
      return `${at} disconnected (${dropText(next.reason)}); reconnecting in ${seconds(next.delayMs)} (attempt ${next.attempt})`;
    }
    case "socket:lost": {
      const lost = signal as SignalsLike["socket:lost"];
      return lost.reason === "sequence_gap"
        ? `${at} LOST events seq ${lost.fromSeq}..${lost.toSeq ?? "?"}: the server skipped them; refetch what you keep from events`
        : `${at} LOST events: the server could not resume session ${lost.previousConnectionId} after ${seconds(lost.disconnectedMs)} and started ${lost.connectionId}; ` +
            `events from seq ${lost.fromSeq} on may be missing; refetch what you keep from events`;
    }
    case "socket:close": {
      const close = signal as SignalsLike["socket:close"];
      return close.reason === "closed"
        ? `${at} closed`
        : close.reason === "auth_failed"
          ? `${at} closed: the server refused the token`
          : `${at} gave up reconnecting${close.lastDrop ? ` (${dropText(close.lastDrop)})` : ""}`;
    }
    case "socket:error": {
      const error = signal as SignalsLike["socket:error"];
      return `${at} socket ${error.code}: ${error.message}`;
    }
  }
  return undefined;
}

/** The JSON line for a lifecycle signal: `{"signal":"resumed",...}` (causes and raw frames left out). */
export function signalJson<N extends keyof SignalsLike>(name: N, signal: SignalsLike[N]): string {
  const { cause: _cause, raw: _raw, ...rest } = signal as SignalsLike[N] & { cause?: unknown; raw?: unknown };
  return JSON.stringify({ signal: name.slice("socket:".length), ...rest });
}

// -------------------------------------------------------------------------------------------------
// The command
// -------------------------------------------------------------------------------------------------

interface ListenArgs extends ServerArgs {
  event: string[] | undefined;
  json: boolean;
  recover: boolean;
  "cursor-file": string | undefined;
}

/** The `--event` names, checked against the catalog's. */
export function checkEvents(wanted: readonly string[], known: readonly string[]): Set<string> | null {
  if (wanted.length === 0) return null;
  for (const name of wanted) {
    if (!known.includes(name)) {
      const near = closeMatches(name, known, 3);
      throw new InputError(
        `unknown event "${name}"${near.length > 0 ? ` (did you mean ${near.join(", ")}?)` : ""}. The events: ${known.join(", ")}.`,
      );
    }
  }
  return new Set(wanted);
}

async function runListen(args: ListenArgs, io: Io, setToken: (value: string) => void): Promise<number> {
  const [events] = (await loadCompiled<EventsModule>(io, ["generated/events"])) as [EventsModule];
  const known = [...new Set(Object.values(events.WebSocketEventNames))].sort();
  const filter = checkEvents(
    (args.event ?? []).flatMap((name) => name.split(",")).filter((name) => name !== ""),
    known,
  );
  const url = serverUrl(args);
  const token = await readToken(args, io, url, false);
  if (token === undefined) {
    throw new InputError("listen needs a token: set MATTERMOST_TOKEN (or run it in a terminal to be asked for one).");
  }
  setToken(token);
  const [socketModule] = (await loadCompiled<SocketModule>(io, ["runtime/socket/index"])) as [SocketModule];

  const socket = socketModule.createMattermostSocket({ url, token, recover: (await recoverOption(args, io, url, token)) as never });
  return new Promise<number>((resolve) => {
    let exitCode: number = CALL_EXIT.ok;
    let stopping = false;
    const stop = (code: number): void => {
      if (stopping) return;
      stopping = true;
      exitCode = code;
      void socket.close();
    };
    const onSignal = (): void => stop(CALL_EXIT.ok);
    const onStdoutError = (error: NodeJS.ErrnoException): void => {
      // The reader went away (`listen | head`): nothing more to print.
      if (error.code === "EPIPE") stop(CALL_EXIT.ok);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    process.stdout.on("error", onStdoutError);

    const printEvent = (frame: EventFrame, isKnown: boolean): void => {
      if (filter !== null && !filter.has(frame.event)) return;
      io.out(`${args.json ? JSON.stringify(frame) : formatEventLine(frame, isKnown, process.stdout.columns ?? 200)}\n`);
    };
    const report = <N extends keyof SignalsLike>(name: N, signal: SignalsLike[N]): void => {
      if (args.json) io.out(`${signalJson(name, signal)}\n`);
      else {
        const line = formatSignalLine(name, signal, url);
        if (line !== undefined) io.err(`${line}\n`);
      }
    };

    socket.on("*", (frame) => printEvent(frame, true));
    // Recovery's signals (with --recover): what a recovery delivered, and a request that failed (retried).
    (socket.on as (name: string, handler: (signal: Record<string, unknown>) => void) => unknown)("socket:recovered", (signal) =>
      args.json
        ? io.out(`${signalJson("socket:recovered" as never, signal as never)}\n`)
        : io.err(
            `${clock()} recovered ${signal.posts} missed posts in ${Object.keys(signal.channels as object).length} channels (${signal.requests} requests)\n`,
          ),
    );
    (socket.on as (name: string, handler: (signal: Record<string, unknown>) => void) => unknown)("socket:recovery_failed", (signal) =>
      io.err(`${clock()} ${signal.message}; retrying in ${seconds(signal.retryInMs as number)}\n`),
    );
    for (const name of ["socket:hello", "socket:resumed", "socket:reconnecting", "socket:lost"] as const) {
      socket.on(name, (signal: SignalsLike[typeof name]) => report(name, signal));
    }
    socket.on("socket:error", (error) => {
      if (error.code === "unknown_event" && error.frame !== undefined) {
        printEvent(error.frame, false);
        return;
      }
      // An `auth_failed` is followed by the socket's own close (reason `auth_failed`: exit 4).
      report("socket:error", error);
    });
    socket.on("socket:close", (signal) => {
      report("socket:close", signal);
      if (signal.reason === "auth_failed") exitCode = CALL_EXIT.client;
      else if (signal.reason === "gave_up" && !stopping) exitCode = CALL_EXIT.server;
      void socket.close().then(() => {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        process.stdout.off("error", onStdoutError);
        resolve(exitCode);
      });
    });
  });
}

/** `--recover` (and `--cursor-file`): the socket's `recover` option, or `undefined`. */
async function recoverOption(args: ListenArgs, io: Io, url: string, token: string): Promise<unknown> {
  if (!args.recover) {
    if (args["cursor-file"] !== undefined) throw new InputError("--cursor-file needs --recover.");
    return undefined;
  }
  const [rest, recover, file] = (await loadCompiled<Partial<RecoverModules>>(io, [
    "runtime/index",
    "runtime/recover/index",
    "runtime/recover/file",
  ])) as [RecoverModules, RecoverModules, RecoverModules];
  const client = rest.createClient({ baseUrl: url, token });
  const cursorFile = args["cursor-file"];
  let store: unknown;
  try {
    const fileStore = cursorFile === undefined ? undefined : file.fileCursorStore(cursorFile);
    // Read now, so that a corrupt file is bad input (exit 2) before anything connects.
    fileStore?.load();
    store = fileStore;
    return recover.recovery({ client: client as never, store: store as never });
  } catch (error) {
    throw new InputError(`--cursor-file: ${(error as Error).message}`);
  }
}

export function listenCommand(io: Io, setExit: (code: number) => void): CommandModule<object, ListenArgs> {
  return {
    command: "listen",
    describe: "Print the server's WebSocket events as they arrive (Ctrl-C to stop)",
    builder: (argv: Argv) =>
      serverOptions(argv)
        .option("event", {
          type: "string",
          array: true,
          alias: "e",
          describe: "Only these events (repeat, or comma-separate): --event posted --event typing",
        })
        .option("json", {
          type: "boolean",
          default: false,
          describe: 'One JSON object per line: events ({"event":...}) and connection signals ({"signal":...})',
        })
        .option("recover", {
          type: "boolean",
          default: false,
          describe: "After a loss, fetch what was missed through REST and print it as events (marked recovered)",
        })
        .option("cursor-file", {
          type: "string",
          describe: "With --recover: keep each channel's cursor in this JSON file, so a restart picks up where it stopped",
        })
        .example("MATTERMOST_URL=https://chat.example.com mattermost-typed listen", "Every event, one line each")
        .example("mattermost-typed listen --event posted --json | jq .data.post.message", "New posts as JSON")
        .epilogue(
          `Reconnects like the library: "resumed" means nothing was missed, "LOST" that events were. Ctrl-C exits 0. ${EXIT_CODES_HELP} See docs/cli.md.`,
        ) as unknown as Argv<ListenArgs>,
    handler: async (args) => {
      let token: string | undefined = args.token;
      const safe = redacting(io, () => token ?? process.env.MATTERMOST_TOKEN);
      await guarded(safe, setExit, () =>
        runListen(args, safe, (value) => {
          token = value;
        }),
      );
    },
  };
}
