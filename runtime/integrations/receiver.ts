/**
 * The receiver: one fetch-native handler, `(request: Request) => Promise<Response>`, for everything a
 * Mattermost server sends an integration. It runs wherever `Request` and `Response` do (Node through
 * `toNodeListener`, Bun's and Deno's `serve`, edge runtimes).
 *
 * Routes, matched on the end of the path so the receiver may sit under any prefix:
 *
 *   POST|GET  …/commands/{trigger}     slash command (a form; GET: the query)       token: the command's
 *   POST      …/outgoing/{name}        outgoing webhook (JSON or a form)            token: the hook's
 *   POST      …/actions/{name}         button or menu (JSON)                        signed context
 *   POST      …/dialogs/{callback_id}  dialog submission or cancellation (JSON)     signed state
 *
 * What the server sends and accepts is in ./types.ts and ./dialog.ts, each with the Go file it comes from.
 *
 * Refusals, each with a JSON body `{ "error": reason }` and no handler run: 404 unknown route,
 * 405 wrong method, 413 body over `maxBodyBytes`, 400 a body the route does not expect, 401 a
 * missing or wrong token, signature or state. A handler that throws gets 500 `{ "error": "the
 * handler failed" }`; the error goes to `onError`, never into the answer.
 */
import type { Transport } from "../transport.js";
import { checkSubmission, type DialogDefinition, type Submission } from "./dialog.js";
import { mediaType, parseForm, parseJsonObject, Refusal, readText, requireString } from "./request-body.js";
import { base64url, canonicalJson, createSigner, fromBase64url, tokenMatches } from "./security.js";
import type {
  ActionOption,
  ActionPayload,
  ActionResponse,
  CommandPayload,
  CommandResponse,
  OutgoingWebhookPayload,
  OutgoingWebhookResponse,
  PostAction,
} from "./types.js";

type Awaitable<T> = T | Promise<T>;

/** A token, or where to read it when it is known only later (a command created after the receiver). */
export type TokenSource = string | (() => string | undefined);

export interface ReceiverOptions {
  /**
   * Signs button contexts and dialog states (HMAC-SHA-256); at least 32 characters. Read it from
   * the environment; it never appears in an answer.
   */
  readonly secret: string;
  /**
   * Where the Mattermost server reaches this receiver, such as "https://bot.example.com/mattermost";
   * a function when it is known only later (a server listening on port 0). Buttons and dialogs point there.
   */
  readonly url: string | (() => string);
  /** The largest body accepted, in bytes (default 256 KiB; Mattermost's requests are a few KiB). */
  readonly maxBodyBytes?: number;
  /** How long an opened dialog may be submitted, in milliseconds (default one hour). */
  readonly dialogLifetimeMs?: number;
  /** Told what a handler threw (the answer is a bare 500). The receiver itself never logs. */
  readonly onError?: (error: unknown, route: string) => void;
}

/** What a slash command handler may return: a response, text (ephemeral), or nothing. */
export type CommandResult = CommandResponse | string | undefined | void;

export interface Route {
  /** The URL to give Mattermost (the command's or hook's URL). */
  readonly url: string;
}

/** A post action route: makes buttons and menus that carry a signed `Context`. */
export interface ActionRoute<Context extends object> extends Route {
  /** A button whose clicks reach this route's handler with `context`. */
  button(button: ButtonOptions<Context>): Promise<PostAction>;
  /** A menu of `options` (or of users or channels); the choice arrives as `selected_option`. */
  menu(menu: MenuOptions<Context>): Promise<PostAction>;
}

export interface ButtonOptions<Context> {
  readonly name: string;
  readonly id?: string;
  readonly style?: string;
  readonly disabled?: boolean;
  readonly context: Context;
}

export interface MenuOptions<Context> extends ButtonOptions<Context> {
  readonly options?: ActionOption[];
  readonly data_source?: "users" | "channels";
  readonly default_option?: string;
}

/** A dialog submission, `submission` typed from the definition the program opened. */
export interface DialogSubmissionPayload<D extends DialogDefinition> {
  readonly callback_id: D["callback_id"];
  /** The state the program opened the dialog with ("" when none). */
  readonly state: string;
  readonly user_id: string;
  readonly channel_id: string;
  readonly team_id: string;
  readonly submission: Submission<D>;
}

/** A dialog the user closed (sent when the definition has `notify_on_cancel`). */
export type DialogCancellationPayload<D extends DialogDefinition> = Omit<DialogSubmissionPayload<D>, "submission">;

/** What a dialog submission may answer (model/integration_action.go, SubmitDialogResponse). */
export interface DialogResponse<D extends DialogDefinition> {
  /** Shown at the bottom of the dialog, which stays open. */
  readonly error?: string;
  /** Shown next to each field; the dialog stays open. */
  readonly errors?: { readonly [K in keyof Submission<D>]?: string };
}

export interface DialogHandlers<D extends DialogDefinition> {
  readonly submit: (payload: DialogSubmissionPayload<D>) => Awaitable<DialogResponse<D> | undefined | void>;
  readonly cancel?: (payload: DialogCancellationPayload<D>) => Awaitable<void>;
}

export interface DialogRoute<D extends DialogDefinition> extends Route {
  readonly definition: D;
  /**
   * Opens the dialog for the user of a command or action payload (its `trigger_id` and `user_id`,
   * good for a few seconds), through `POST /api/v4/actions/dialogs/open`.
   */
  open(
    client: Transport,
    from: { readonly trigger_id: string; readonly user_id: string },
    options?: { readonly state?: string; readonly signal?: AbortSignal },
  ): Promise<void>;
}

export interface Receiver {
  /** The handler: pass it to `Bun.serve({ fetch })`, `Deno.serve`, an edge runtime or `toNodeListener`. */
  readonly fetch: (request: Request) => Promise<Response>;
  command(trigger: string, options: { readonly token: TokenSource }, handler: (payload: CommandPayload) => Awaitable<CommandResult>): Route;
  outgoingWebhook(
    name: string,
    options: { readonly token: TokenSource },
    handler: (payload: OutgoingWebhookPayload) => Awaitable<OutgoingWebhookResponse | undefined | void>,
  ): Route;
  action<Context extends object>(
    name: string,
    handler: (payload: ActionPayload<Context>) => Awaitable<ActionResponse | undefined | void>,
  ): ActionRoute<Context>;
  dialog<const D extends DialogDefinition>(definition: D, handlers: DialogHandlers<D>): DialogRoute<D>;
}

/** The context key that carries a button's signature (left out of what the handler sees). */
const SIGNATURE_KEY = "mattermost_typed_signature";
/** The context key the server adds a menu's choice under (app/integration_action.go). */
const SELECTED_OPTION = "selected_option";

type Kind = "commands" | "outgoing" | "actions" | "dialogs";
type Handle = (request: Request, route: string) => Promise<Response>;

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const readToken = (source: TokenSource): string | undefined => (typeof source === "function" ? source() : source);

const validName = (name: string, what: string): string => {
  if (!/^[A-Za-z0-9_.~-]+$/.test(name)) {
    throw new TypeError(`${what} "${name}": use letters, digits and _ . ~ - only (it becomes a URL path segment)`);
  }
  return name;
};

/**
 * A receiver with no routes yet: add them with `command`, `outgoingWebhook`, `action` and `dialog`,
 * then serve `receiver.fetch`. Throws a TypeError for a secret under 32 characters, a name that is
 * not a URL path segment, or a route registered twice.
 */
export function createReceiver(options: ReceiverOptions): Receiver {
  if (typeof options.secret !== "string" || options.secret.length < 32) {
    throw new TypeError("createReceiver: `secret` must be a string of at least 32 characters (read it from the environment)");
  }
  const limit = options.maxBodyBytes ?? 256 * 1024;
  const lifetime = options.dialogLifetimeMs ?? 60 * 60 * 1000;
  const signer = createSigner(options.secret);
  const routes = new Map<string, Handle>();
  const baseUrl = (): string => (typeof options.url === "function" ? options.url() : options.url).replace(/\/+$/, "");
  const urlOf = (kind: Kind, name: string): string => `${baseUrl()}/${kind}/${encodeURIComponent(name)}`;

  const add = (kind: Kind, name: string, handle: Handle): void => {
    const key = `${kind}/${name}`;
    if (routes.has(key)) throw new TypeError(`createReceiver: ${key} is registered twice`);
    routes.set(key, handle);
  };

  const report = (error: unknown, route: string): void => {
    try {
      options.onError?.(error, route);
    } catch {
      // A failing error callback must not change the answer.
    }
  };
  /** Runs a handler; what it throws becomes a bare 500 and a call to `onError`. */
  const run = async <T>(route: string, handler: () => Awaitable<T>): Promise<{ ok: true; value: T } | { ok: false }> => {
    try {
      return { ok: true, value: await handler() };
    } catch (error) {
      report(error, route);
      return { ok: false };
    }
  };
  const failed = (): Response => json(500, { error: "the handler failed" });

  const contextSignature = (name: string, context: object): Promise<string> => signer.sign(`action:${name}`, canonicalJson(context));

  const receiver: Receiver = {
    fetch: async (request) => {
      const path = new URL(request.url).pathname;
      const match = /\/(commands|outgoing|actions|dialogs)\/([^/]+)\/?$/.exec(path);
      let name = "";
      try {
        name = decodeURIComponent(match?.[2] ?? "");
      } catch {
        // A malformed escape names no route.
      }
      const handle = match ? routes.get(`${match[1]}/${name}`) : undefined;
      const route = match ? `${match[1]}/${name}` : path;
      if (!handle) return json(404, { error: `no route for ${request.method} ${path}` });
      try {
        return await handle(request, route);
      } catch (error) {
        if (error instanceof Refusal) return json(error.status, { error: error.reason });
        // Reading the request failed (a connection cut mid-body): answer without details.
        report(error, route);
        return json(500, { error: "the request could not be read" });
      }
    },

    command(trigger, { token }, handler) {
      validName(trigger, "command");
      add("commands", trigger, async (request, route) => {
        let form: URLSearchParams;
        if (request.method === "GET") form = new URL(request.url).searchParams;
        else if (request.method === "POST") {
          if (mediaType(request) !== "application/x-www-form-urlencoded") {
            throw new Refusal(
              400,
              `${route}: expected a form (application/x-www-form-urlencoded), got "${mediaType(request) || "no content type"}"`,
            );
          }
          form = parseForm(await readText(request, limit));
        } else throw new Refusal(405, `${route}: use POST or GET`);
        const given = form.get("token") ?? undefined;
        const header = request.headers.get("authorization");
        const expected = readToken(token);
        const headerOk = header === null || (await tokenMatches(header.replace(/^Token\s+/i, ""), expected));
        if (!(await tokenMatches(given, expected)) || !headerOk) throw new Refusal(401, `${route}: missing or wrong token`);
        const field = (key: string, required = true): string => {
          const value = form.get(key);
          if (value === null && required) throw new Refusal(400, `${route}: the field "${key}" is missing`);
          return value ?? "";
        };
        const payload: CommandPayload = {
          team_id: field("team_id"),
          team_domain: field("team_domain", false),
          channel_id: field("channel_id"),
          channel_name: field("channel_name", false),
          user_id: field("user_id"),
          user_name: field("user_name", false),
          command: field("command"),
          text: field("text", false),
          trigger_id: field("trigger_id", false),
          root_id: field("root_id", false),
          response_url: field("response_url", false),
          user_mentions: mentions(form, "user_mentions", route),
          channel_mentions: mentions(form, "channel_mentions", route),
        };
        const result = await run(route, () => handler(payload));
        if (!result.ok) return failed();
        const value = result.value;
        return json(200, typeof value === "string" ? { response_type: "ephemeral", text: value } : (value ?? {}));
      });
      return {
        get url() {
          return urlOf("commands", trigger);
        },
      };
    },

    outgoingWebhook(name, { token }, handler) {
      validName(name, "outgoing webhook");
      add("outgoing", name, async (request, route) => {
        if (request.method !== "POST") throw new Refusal(405, `${route}: use POST`);
        const type = mediaType(request);
        const text = await readText(request, limit);
        let fields: Record<string, unknown>;
        let seconds = false;
        if (type === "application/json") fields = parseJsonObject(text, route);
        else if (type === "application/x-www-form-urlencoded") {
          fields = Object.fromEntries(parseForm(text));
          seconds = true;
        } else throw new Refusal(400, `${route}: expected JSON or a form, got "${type || "no content type"}"`);
        if (!(await tokenMatches(typeof fields.token === "string" ? fields.token : undefined, readToken(token)))) {
          throw new Refusal(401, `${route}: missing or wrong token`);
        }
        const string = (key: string): string => requireString(fields[key] ?? "", key, route);
        const timestamp = Number(fields.timestamp);
        if (!Number.isFinite(timestamp)) throw new Refusal(400, `${route}: the field "timestamp" is not a number`);
        const payload: OutgoingWebhookPayload = {
          team_id: requireString(fields.team_id, "team_id", route),
          team_domain: string("team_domain"),
          channel_id: requireString(fields.channel_id, "channel_id", route),
          channel_name: string("channel_name"),
          timestamp: seconds ? timestamp * 1000 : timestamp,
          user_id: requireString(fields.user_id, "user_id", route),
          user_name: string("user_name"),
          post_id: requireString(fields.post_id, "post_id", route),
          text: string("text"),
          trigger_word: string("trigger_word"),
          file_ids: string("file_ids"),
        };
        const result = await run(route, () => handler(payload));
        return result.ok ? json(200, result.value ?? {}) : failed();
      });
      return {
        get url() {
          return urlOf("outgoing", name);
        },
      };
    },

    action<Context extends object>(
      name: string,
      handler: (payload: ActionPayload<Context>) => Awaitable<ActionResponse | undefined | void>,
    ) {
      validName(name, "action");
      add("actions", name, async (request, route) => {
        if (request.method !== "POST") throw new Refusal(405, `${route}: use POST`);
        if (mediaType(request) !== "application/json")
          throw new Refusal(400, `${route}: expected JSON, got "${mediaType(request) || "no content type"}"`);
        const body = parseJsonObject(await readText(request, limit), route);
        const raw = body.context;
        if (typeof raw !== "object" || raw === null || Array.isArray(raw))
          throw new Refusal(401, `${route}: the context carries no signature`);
        const { [SIGNATURE_KEY]: signature, [SELECTED_OPTION]: selected, ...context } = raw as Record<string, unknown>;
        if (!(await signer.verify(`action:${name}`, canonicalJson(context), signature))) {
          throw new Refusal(401, `${route}: the context's signature is missing or wrong`);
        }
        const type = body.type === "select" ? "select" : "button";
        const payload: ActionPayload<Context> = {
          user_id: requireString(body.user_id, "user_id", route),
          user_name: requireString(body.user_name ?? "", "user_name", route),
          channel_id: requireString(body.channel_id, "channel_id", route),
          channel_name: requireString(body.channel_name ?? "", "channel_name", route),
          team_id: requireString(body.team_id ?? "", "team_id", route),
          team_domain: requireString(body.team_domain ?? "", "team_domain", route),
          post_id: requireString(body.post_id, "post_id", route),
          trigger_id: requireString(body.trigger_id ?? "", "trigger_id", route),
          type,
          data_source: requireString(body.data_source ?? "", "data_source", route),
          context: context as Context,
          ...(typeof selected === "string" ? { selected_option: selected } : {}),
        };
        const result = await run(route, () => handler(payload));
        return result.ok ? json(200, result.value ?? {}) : failed();
      });
      const make = async (button: MenuOptions<Context>, type: "button" | "select"): Promise<PostAction> => {
        const context = button.context as Record<string, unknown>;
        for (const key of [SIGNATURE_KEY, SELECTED_OPTION]) {
          if (key in context) throw new TypeError(`action "${name}": the context may not have the key "${key}" (the receiver uses it)`);
        }
        const signed = { ...context, [SIGNATURE_KEY]: await contextSignature(name, JSON.parse(JSON.stringify(context)) as object) };
        const { context: _context, ...rest } = button;
        return { ...rest, type, integration: { url: urlOf("actions", name), context: signed } };
      };
      return {
        get url() {
          return urlOf("actions", name);
        },
        button: (button: ButtonOptions<Context>) => make(button, "button"),
        menu: (menu: MenuOptions<Context>) => make(menu, "select"),
      };
    },

    dialog<const D extends DialogDefinition>(definition: D, handlers: DialogHandlers<D>): DialogRoute<D> {
      const callback = validName(definition.callback_id, "dialog callback_id");
      const purpose = `dialog:${callback}`;
      add("dialogs", callback, async (request, route) => {
        if (request.method !== "POST") throw new Refusal(405, `${route}: use POST`);
        if (mediaType(request) !== "application/json")
          throw new Refusal(400, `${route}: expected JSON, got "${mediaType(request) || "no content type"}"`);
        const body = parseJsonObject(await readText(request, limit), route);
        const userId = requireString(body.user_id, "user_id", route);
        const state = await openState(body.state, userId);
        if (state === undefined) throw new Refusal(401, `${route}: the state is missing, wrong, expired or for another user`);
        const base = {
          callback_id: definition.callback_id,
          state,
          user_id: userId,
          channel_id: requireString(body.channel_id ?? "", "channel_id", route),
          team_id: requireString(body.team_id ?? "", "team_id", route),
        };
        if (body.cancelled === true) {
          const result = await run(route, () => handlers.cancel?.(base));
          return result.ok ? json(200, {}) : failed();
        }
        const checked = checkSubmission(definition, body.submission);
        if (!checked.ok) return json(200, { errors: checked.errors });
        const submission = checked.submission as Submission<D>;
        const result = await run(route, () => handlers.submit({ ...base, submission }));
        return result.ok ? json(200, result.value ?? {}) : failed();
      });

      /** The program's state, signed with the user and an expiry. */
      const sealState = async (state: string, userId: string): Promise<string> => {
        const sealed = base64url(JSON.stringify({ s: state, u: userId, x: Date.now() + lifetime }));
        return `${sealed}.${await signer.sign(purpose, sealed)}`;
      };
      /** The program's state, or `undefined` when the seal is not ours, expired, or for someone else. */
      const openState = async (raw: unknown, userId: string): Promise<string | undefined> => {
        if (typeof raw !== "string") return undefined;
        const dot = raw.lastIndexOf(".");
        const sealed = raw.slice(0, dot);
        if (dot < 0 || !(await signer.verify(purpose, sealed, raw.slice(dot + 1)))) return undefined;
        try {
          const opened = JSON.parse(fromBase64url(sealed)) as { s?: unknown; u?: unknown; x?: unknown };
          const fresh = typeof opened.x === "number" && opened.x > Date.now();
          return fresh && opened.u === userId && typeof opened.s === "string" ? opened.s : undefined;
        } catch {
          return undefined;
        }
      };

      return {
        definition,
        get url() {
          return urlOf("dialogs", callback);
        },
        async open(client, from, openOptions = {}) {
          const body = {
            trigger_id: from.trigger_id,
            url: urlOf("dialogs", callback),
            dialog: { ...definition, state: await sealState(openOptions.state ?? "", from.user_id) },
          };
          await client.call<unknown>(
            "POST",
            "/api/v4/actions/dialogs/open",
            { body },
            openOptions.signal ? { signal: openOptions.signal } : undefined,
          );
        },
      };
    },
  };
  return receiver;
}

/** `user_mentions` + `user_mentions_ids` (model/mention_map.go, mentionsToURLValues) as one map. */
function mentions(form: URLSearchParams, key: string, route: string): Record<string, string> {
  const names = form.getAll(key);
  const ids = form.getAll(`${key}_ids`);
  if (names.length !== ids.length) throw new Refusal(400, `${route}: "${key}" and "${key}_ids" differ in length`);
  return Object.fromEntries(names.map((name, index) => [name, ids[index] ?? ""]));
}
