/**
 * `close()` from any state leaves nothing behind: a child process runs each scenario and must exit
 * by itself within the time limit (see fixtures/exit-child.mjs).
 *
 * The child runs the real sources, bundled by esbuild into node_modules/.cache so that the default
 * `import("ws")` resolves from the bundle as it would from an installed package.
 */
import { spawn } from "node:child_process";
import { mkdir, rm } from "node:fs/promises";
import { type Server, type Socket, createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { MockSocketServer } from "../support/mock-socket-server.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const child = fileURLToPath(new URL("./fixtures/exit-child.mjs", import.meta.url));
const outDir = `${root}node_modules/.cache/mattermost-typed-socket-exit-${process.pid}`;
const bundle = `${outDir}/socket.mjs`;
const LIMIT_MS = 4_000;

let mock: MockSocketServer;
let silentTcp: Server;
const heldSockets = new Set<Socket>();
let silentWs: WebSocketServer;
let refusedPort: number;

beforeAll(async () => {
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [`${root}runtime/socket/socket.ts`],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outfile: bundle,
    logLevel: "silent",
  });
  mock = await MockSocketServer.start();
  silentTcp = createServer((socket) => {
    heldSockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => heldSockets.delete(socket));
  });
  await new Promise<void>((resolve) => silentTcp.listen(0, "127.0.0.1", resolve));
  silentWs = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((resolve) => silentWs.once("listening", resolve));
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  refusedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});

afterAll(async () => {
  await mock?.close();
  for (const socket of heldSockets) socket.destroy();
  await new Promise((resolve) => silentTcp?.close(resolve));
  for (const client of silentWs?.clients ?? []) client.terminate();
  await new Promise((resolve) => silentWs?.close(resolve));
  await rm(outDir, { recursive: true, force: true });
});

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  output: Record<string, unknown> | undefined;
  stderr: string;
}

function run(scenario: string, url: string): Promise<ChildResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const proc = spawn(process.execPath, [child, bundle, scenario, url], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    proc.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    proc.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => proc.kill("SIGKILL"), LIMIT_MS);
    proc.on("exit", (code, signal) => {
      clearTimeout(killer);
      let output: Record<string, unknown> | undefined;
      try {
        output = JSON.parse(stdout) as Record<string, unknown>;
      } catch {
        output = undefined;
      }
      resolve({ code, signal, ms: Date.now() - started, output, stderr });
    });
  });
}

describe("close() lets Node exit", () => {
  it.each([
    ["connecting", () => `http://127.0.0.1:${(silentTcp.address() as AddressInfo).port}`, "connecting"],
    ["authenticating", () => `http://127.0.0.1:${(silentWs.address() as AddressInfo).port}`, "authenticating"],
    ["backoff", () => `http://127.0.0.1:${refusedPort}`, "reconnecting"],
    ["token", () => mock.url, "connecting"],
    ["open", () => mock.url, "open"],
  ])("while %s", async (scenario, url, stateBeforeClose) => {
    const result = await run(scenario, url());
    expect(result.stderr).toBe("");
    expect(result.signal, `the child did not exit within ${LIMIT_MS} ms`).toBeNull();
    expect(result.code).toBe(0);
    expect(result.output).toMatchObject({ scenario, stateBeforeClose, stateAfterClose: "closed", pending: "closed" });
    expect(result.output?.ready).toBe(stateBeforeClose === "open" ? "ready" : "closed");
    expect((result.output!.signals as string[]).at(-1)).toBe("socket:close");
    if (scenario === "open") expect(result.output).toMatchObject({ pong: "pong", loop: "ended" });
  });
});
