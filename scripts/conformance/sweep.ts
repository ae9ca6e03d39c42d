/**
 * The conformance sweep: calls every operation that can be called safely on a real server seeded
 * by scripts/mattermost-server/bootstrap.mjs and checks each answer against the spec.
 *
 * 1. Generates the client with the built-in validators plugin in strict mode
 *    (undocumented fields are reported) into a temporary folder, and bundles its `validators.ts`
 *    and `operations.ts`.
 * 2. Runs plan.ts: SETUP (creates the sweep's own objects and works on them), one call of every
 *    other GET, TEARDOWN. Calls go through the runtime client (`client.request`).
 * 3. Validates each answer with `validateResponse`: status, missing required fields, wrong types,
 *    undocumented fields. An operation is swept when at least one call answered 2xx, and conforms
 *    when no call reported an issue.
 * 4. Records, for every property of every schema the answers held, in how many objects it was
 *    present (presence.ts): `presence` in the result, and the always-sent overlay's input.
 *
 * Outcomes that are not the spec's fault are kept apart: routes this server does not have (404
 * `api.context.404.app_error`: newer than it, or no longer routed), features it does not offer
 * without a license, a plugin, a cloud account or a setting, reads with nothing to read on a fresh
 * server, and calls that failed for another reason (listed with their error id).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { generate } from "../../generator/generate.js";
import { readOverlays } from "../../generator/overlay.js";
import { packageRoot, readDefaultSpec, specDir } from "../../generator/paths.js";
import { createClient, MattermostError, NetworkError, TimeoutError, type Client } from "../../runtime/index.js";
import type { CallShape, HttpMethod } from "../../runtime/transport.js";
import type { MattermostServerFacts } from "../mattermost-server/server.mjs";
import {
  AUTO_PATH,
  AUTO_QUERY,
  Context,
  type Identity,
  Missing,
  NOTHING_TO_READ,
  SETTING_GATED,
  SETUP,
  SKIP,
  type Step,
  TEARDOWN,
} from "./plan.js";
import { alwaysSentOptional, type PresenceEntry, PresenceRecorder } from "./presence.js";

/** The parts of the generated modules the sweep uses. */
interface OperationInfo {
  readonly method: HttpMethod;
  readonly path: string;
  readonly params: {
    readonly path: readonly string[];
    readonly query: readonly string[];
    readonly header: readonly string[];
    readonly required: readonly string[];
  };
  readonly body: { readonly kind: "json" | "multipart" | "form" | "binary" | "text" } | null;
  readonly response: { readonly kind: "json" | "binary" | "text" | "none" };
}
interface ResponseIssue {
  readonly path: string;
  readonly kind: "missing" | "type" | "undocumented" | "status";
  readonly message: string;
}
interface Generated {
  readonly operations: Readonly<Record<string, OperationInfo & { readonly operationId: string }>>;
  readonly validateResponse: (operation: string, status: number, body: unknown) => ResponseIssue[];
}

/** One call the sweep made. */
export interface CallRecord {
  readonly op: string;
  readonly as: Identity;
  readonly status: number;
  /** The server's error id, for non-2xx answers. */
  readonly errorId?: string;
  readonly issues: readonly ResponseIssue[];
}

export type Outcome =
  | "conforms"
  | "mismatch"
  | "not on this server"
  | "unavailable"
  | "nothing to read"
  | "failed"
  | "skipped"
  | "not planned";

/** An issue of an operation, over all its calls: array indexes and ids in map keys become `*`. */
export interface IssueSummary {
  readonly path: string;
  readonly kind: ResponseIssue["kind"];
  readonly message: string;
  readonly count: number;
}

export interface OperationResult {
  readonly op: string;
  readonly method: string;
  readonly path: string;
  readonly outcome: Outcome;
  /** Why it was skipped, not planned, unavailable or failed. */
  readonly reason?: string;
  readonly calls: number;
  readonly statuses: readonly number[];
  readonly issues: readonly IssueSummary[];
}

export interface SweepResult {
  readonly server: { readonly version: string | null; readonly module: string | null; readonly commit: string | null };
  readonly spec: {
    /** The pinned release (spec/default.json) when the default spec was used. */
    readonly release: string | undefined;
    readonly apiVersion: string;
    readonly sha256: string;
    readonly inputsSha256: string;
    readonly overlayActions: number;
    /** The overlays written from the sweep's findings, with their number of actions. */
    readonly conformanceOverlays: readonly { readonly file: string; readonly actions: number }[];
  };
  readonly totals: Readonly<Record<Outcome | "operations" | "swept" | "calls", number>>;
  readonly operations: readonly OperationResult[];
  /** Every declared property of the answers' schemas: objects seen, and how many had it. */
  readonly presence: readonly PresenceEntry[];
  readonly presenceTotals: {
    /** Declared properties seen at least once. */
    readonly properties: number;
    /** Present in every object seen. */
    readonly alwaysPresent: number;
    /** Present in every object seen but not required: 56-always-sent.yaml must explain each. */
    readonly alwaysPresentOptional: number;
  };
}

export interface SweepOptions {
  readonly facts: MattermostServerFacts;
  /** Progress lines (the library never prints; the CLI passes stderr). */
  readonly report?: (line: string) => void;
  /** Every 2xx answer, decoded, with its issues: material for writing overlays. Bodies are what the server sent, tokens it issued included; keep them local. */
  readonly onResponse?: (record: CallRecord, body: unknown) => void;
}

/** Generates the client with strict validators into a temp folder and loads it. */
async function loadGenerated(
  work: string,
): Promise<{ generated: Generated; summary: SweepResult["spec"]; document: Record<string, unknown> }> {
  const result = await generate({ cwd: packageRoot, plugins: [["validators", { unknownKeys: "strict" }]] });
  const validators = result.files.get("validators.ts");
  if (validators === undefined) throw new Error("the validators plugin wrote no validators.ts");
  for (const name of ["operations.ts", "schemas.ts", "types.ts"]) await writeFile(join(work, name), result.files.get(name) ?? "");
  await writeFile(join(work, "validators.ts"), validators);
  await writeFile(join(work, "package.json"), '{ "type": "module" }\n');
  const bundle = join(work, "generated.mjs");
  await build({
    stdin: {
      contents: 'export { operations } from "./operations.ts";\nexport { validateResponse } from "./validators.ts";\n',
      resolveDir: work,
      sourcefile: "entry.ts",
      loader: "ts",
    },
    bundle: true,
    format: "esm",
    platform: "node",
    outfile: bundle,
    nodePaths: [join(packageRoot, "node_modules")],
    tsconfigRaw: {},
    logLevel: "silent",
  });
  const generated = (await import(pathToFileURL(bundle).href)) as Generated;
  const overlays = readOverlays(join(specDir, "overlays"), "spec/overlays").filter((overlay) =>
    /\/40-conformance-[^/]*$/.test(overlay.file),
  );
  const pinned = process.env.MATTERMOST_SPEC ? undefined : readDefaultSpec().version;
  return {
    generated,
    document: result.document,
    summary: {
      release: pinned,
      apiVersion: result.model.apiVersion,
      sha256: result.summary.specSha256,
      inputsSha256: result.summary.inputsSha256,
      overlayActions: result.summary.overlayActions,
      conformanceOverlays: overlays.map((overlay) => ({ file: overlay.file, actions: overlay.actions.length })),
    },
  };
}

/** Features this server does not have without a license, a plugin, a cloud account or a setting. */
function unavailable(status: number, id: string): boolean {
  return status === 501 || /license|enterprise|\.cloud|cws|plugin|not_available|disabled|feature_flag/i.test(id);
}

const idKey = /^[a-z0-9]{26}$/;
/** `$[3].id` → `$[*].id`; `$.posts.<post id>` → `$.posts.*` (ids are 26 lowercase letters and digits). */
export function normalizePath(path: string): string {
  return path
    .replace(/\[\d+\]/g, "[*]")
    .replace(/\.([a-z0-9]{26})(?=$|[.[])/g, (match, key: string) => (idKey.test(key) ? ".*" : match))
    .replace(/\["([a-z0-9]{26})"\]/g, (match, key: string) => (idKey.test(key) ? ".*" : match));
}

/** Runs the sweep against a seeded server. */
export async function runSweep(options: SweepOptions): Promise<SweepResult> {
  const { facts } = options;
  const report = options.report ?? (() => undefined);
  const work = await mkdtemp(join(tmpdir(), "mattermost-typed-conformance-"));
  try {
    report("generating the client with strict validators");
    const { generated, summary, document } = await loadGenerated(work);
    const presence = new PresenceRecorder(document);
    const { operations, validateResponse } = generated;

    const retry = { unsafe: true, retries: 12, maxWaitMs: 120_000 } as const;
    const clients: Record<Identity, Client> = {
      admin: createClient({ baseUrl: facts.url, token: facts.admin.token, retry }),
      user: createClient({ baseUrl: facts.url, token: facts.user.token, retry }),
      bot: createClient({ baseUrl: facts.url, token: facts.bot.token, retry }),
      own: createClient({ baseUrl: facts.url, retry }),
      own2: createClient({ baseUrl: facts.url, retry }),
    };
    const tag = randomBytes(4).toString("hex");
    const c = new Context(tag, `Aa1!${randomBytes(12).toString("base64url")}`);
    c.set("admin", facts.admin.id);
    c.set("adminUsername", facts.admin.username);
    c.set("adminEmail", facts.admin.email);
    c.set("user", facts.user.id);
    c.set("bot", facts.bot.id);
    c.set("team", facts.team.id);
    c.set("teamName", facts.team.name);
    c.set("channel", facts.channels.public.id);
    c.set("channelName", facts.channels.public.name);
    c.set("roleName", "system_user");
    c.set("jobType", "data_retention");

    const calls: CallRecord[] = [];
    const notCalled = new Map<string, string>();

    async function call(step: Step): Promise<void> {
      const info = operations[step.op];
      if (info === undefined) throw new Error(`plan.ts names ${step.op}, which is not an operation of the spec`);
      if (SKIP[step.op] !== undefined) throw new Error(`plan.ts calls ${step.op}, which SKIP says never to call`);
      let args: object;
      try {
        args = step.args?.(c) ?? {};
      } catch (error) {
        if (!(error instanceof Missing)) throw error;
        if (!calls.some((record) => record.op === step.op)) notCalled.set(step.op, error.message);
        return;
      }
      const as = step.as ?? "admin";
      // JSON answers are read as text and parsed here, so that a body that is not JSON is a finding, not a crash.
      const response = info.response.kind === "json" ? "text" : info.response.kind;
      const shape: CallShape = {
        ...(info.body !== null && info.body.kind !== "json" ? { body: info.body.kind } : {}),
        ...(response === "none" ? {} : { response }),
        ...(info.params.header.length > 0 ? { headers: info.params.header } : {}),
      };
      try {
        const result = await clients[as].request<unknown>(info.method, info.path, args, { timeoutMs: 60_000, retry: true }, shape);
        let data = result.data;
        const issues: ResponseIssue[] = [];
        if (info.response.kind === "json") {
          try {
            data = typeof data === "string" && data !== "" ? (JSON.parse(data) as unknown) : undefined;
          } catch {
            issues.push({ path: "$", kind: "type", message: "expected JSON, received text that does not parse" });
            data = undefined;
          }
        }
        issues.push(...validateResponse(step.op, result.response.status, data));
        const record: CallRecord = { op: step.op, as, status: result.response.status, issues };
        calls.push(record);
        if (info.response.kind === "json" && result.response.status >= 200 && result.response.status < 300)
          presence.record(step.op, info.operationId, result.response.status, data);
        options.onResponse?.(record, data);
        step.keep?.(data, c);
      } catch (error) {
        if (error instanceof MattermostError) calls.push({ op: step.op, as, status: error.status, errorId: error.id, issues: [] });
        else if (error instanceof NetworkError || error instanceof TimeoutError)
          calls.push({ op: step.op, as, status: 0, errorId: error.name, issues: [] });
        else throw error;
      }
    }

    const planned = new Set([...SETUP, ...TEARDOWN].map((step) => step.op));
    // A name that is not an operation (a typo, or an operation upstream renamed) must not pass silently.
    for (const op of [...planned, ...Object.keys(SKIP), ...Object.keys(SETTING_GATED), ...Object.keys(NOTHING_TO_READ)]) {
      if (operations[op] === undefined) throw new Error(`scripts/conformance/plan.ts names ${op}, which is not an operation of the spec`);
    }

    report(`setup: ${SETUP.length} steps`);
    for (const step of SETUP) await call(step);

    const automatic = Object.keys(operations)
      .sort()
      .filter((op) => operations[op]?.method === "GET" && !planned.has(op) && SKIP[op] === undefined);
    report(`reads: ${automatic.length} GET operations`);
    for (const op of automatic) {
      const info = operations[op];
      if (info === undefined) continue;
      const required = new Set(info.params.required);
      await call({
        op,
        args: (context) => {
          const args: Record<string, string> = {};
          for (const name of info.params.path) {
            const key = AUTO_PATH[name];
            if (key === undefined) throw new Missing(`a value for the path parameter ${name}`);
            args[name] = context.get(key);
          }
          for (const name of [...info.params.query, ...info.params.header].filter((name) => required.has(name))) {
            const value = AUTO_QUERY[name];
            if (value === undefined) throw new Missing(`a value for the required parameter ${name}`);
            args[name] = value.startsWith("$") ? context.get(value.slice(1)) : value;
          }
          return args;
        },
      });
    }

    report(`teardown: ${TEARDOWN.length} steps`);
    for (const step of TEARDOWN) await call(step);

    return summarize(operations, calls, notCalled, facts, summary, presence.result());
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function summarize(
  operations: Generated["operations"],
  calls: readonly CallRecord[],
  notCalled: ReadonlyMap<string, string>,
  facts: MattermostServerFacts,
  spec: SweepResult["spec"],
  presence: readonly PresenceEntry[],
): SweepResult {
  const results: OperationResult[] = [];
  for (const op of Object.keys(operations).sort()) {
    const info = operations[op];
    if (info === undefined) continue;
    const mine = calls.filter((record) => record.op === op);
    const base = {
      op,
      method: info.method,
      path: info.path,
      calls: mine.length,
      statuses: [...new Set(mine.map((record) => record.status))].sort((a, b) => a - b),
    };
    if (mine.length === 0) {
      const skip = SKIP[op];
      results.push({
        ...base,
        outcome: skip === undefined ? "not planned" : "skipped",
        reason: skip ?? notCalled.get(op) ?? "no safe way to call it with the seeded data",
        issues: [],
      });
      continue;
    }
    const answered = mine.filter((record) => record.status >= 200 && record.status < 300);
    if (answered.length === 0) {
      const first = mine[0] as CallRecord;
      const errorId = first.errorId ?? "";
      const explained = SETTING_GATED[op] ?? (first.status === 404 ? NOTHING_TO_READ[op] : undefined);
      const outcome: Outcome =
        first.status === 404 && errorId === "api.context.404.app_error"
          ? "not on this server"
          : SETTING_GATED[op] !== undefined || unavailable(first.status, errorId)
            ? "unavailable"
            : first.status === 404 && NOTHING_TO_READ[op] !== undefined
              ? "nothing to read"
              : "failed";
      results.push({
        ...base,
        outcome,
        reason: `${first.status}${errorId ? ` ${errorId}` : ""}${explained === undefined ? "" : `: ${explained}`}`,
        issues: [],
      });
      continue;
    }
    const grouped = new Map<string, { path: string; kind: ResponseIssue["kind"]; message: string; count: number }>();
    for (const record of mine) {
      for (const issue of record.issues) {
        const path = normalizePath(issue.path);
        const key = `${issue.kind} ${path}`;
        const entry = grouped.get(key);
        if (entry) entry.count += 1;
        else grouped.set(key, { path, kind: issue.kind, message: issue.message, count: 1 });
      }
    }
    const issues = [...grouped.values()].sort((a, b) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0,
    );
    results.push({ ...base, outcome: issues.length === 0 ? "conforms" : "mismatch", issues });
  }
  const count = (outcome: Outcome): number => results.filter((result) => result.outcome === outcome).length;
  const totals = {
    operations: results.length,
    swept: count("conforms") + count("mismatch"),
    calls: calls.length,
    conforms: count("conforms"),
    mismatch: count("mismatch"),
    "not on this server": count("not on this server"),
    unavailable: count("unavailable"),
    "nothing to read": count("nothing to read"),
    failed: count("failed"),
    skipped: count("skipped"),
    "not planned": count("not planned"),
  };
  return {
    server: { version: facts.serverVersion, module: facts.build.module, commit: facts.build.commit },
    spec,
    totals,
    operations: results,
    presence,
    presenceTotals: {
      properties: presence.length,
      alwaysPresent: presence.filter((entry) => entry.seen > 0 && entry.present === entry.seen).length,
      alwaysPresentOptional: alwaysSentOptional(presence).length,
    },
  };
}
