/**
 * Shared by the socket tests: a small event map written by hand (the tests do not depend on
 * generated code), a factory with test-friendly timings, and waiting helpers.
 */
import { createSocket, type TypedSocket } from "../../runtime/socket/socket.js";
import type { SocketOptions } from "../../runtime/socket/types.js";
import { afterEach, beforeEach } from "vitest";
import { MockSocketServer } from "../support/mock-socket-server.js";

interface Broadcast {
  omit_users: Record<string, boolean> | null;
  user_id: string;
  channel_id: string;
  team_id: string;
}

export interface Post {
  id: string;
  channel_id: string;
  message: string;
}

export interface HelloEvent {
  event: "hello";
  data: { server_version: string; connection_id: string; server_hostname?: string };
  broadcast: Broadcast;
  seq: number;
}

export interface PostedEvent {
  event: "posted";
  data: { post: Post; mentions?: string[]; channel_type: "O" | "P" | "D" | "G"; n?: number };
  broadcast: Broadcast;
  seq: number;
}

export interface TypingEvent {
  event: "typing";
  data: { user_id: string; parent_id: string };
  broadcast: Broadcast;
  seq: number;
}

export interface TickEvent {
  event: "tick";
  data: { n: number };
  broadcast: Broadcast;
  seq: number;
}

export type TestEvent = HelloEvent | PostedEvent | TickEvent | TypingEvent;

export interface TestActions {
  get_statuses: { request: Record<string, never>; reply: Record<string, "online" | "away" | "dnd" | "offline"> };
  get_statuses_by_ids: { request: { user_ids: string[] }; reply: Record<string, "online" | "away" | "dnd" | "offline"> };
  ping: { request: Record<string, never>; reply: { text: "pong"; version: string; server_time: number; node_id: string } };
  slow: { request: { value?: string }; reply: undefined };
  user_typing: { request: { channel_id: string; parent_id?: string }; reply: undefined };
}

export const testDecoders = { posted: ["post", "mentions"] } as const;
export const testEventNames = ["hello", "posted", "tick", "typing"] as const;

export type TestSocket = TypedSocket<TestEvent, TestActions>;

/** A socket for the mock server, with timings short enough for tests. */
export function testSocket(url: string, options: Partial<SocketOptions> = {}): TestSocket {
  return createSocket<TestEvent, TestActions>({
    url,
    token: "test-token",
    decoders: testDecoders,
    knownEvents: testEventNames,
    reconnect: { initialDelayMs: 5, maxDelayMs: 50, factor: 2, jitter: 0.5 },
    connectTimeoutMs: 2_000,
    actionTimeoutMs: 2_000,
    ...options,
  });
}

/** Resolves once `check` returns true (polled), or rejects after `timeoutMs` with `what`. */
export async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(2);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Records every lifecycle signal of a socket by name, in order. */
export function recordSignals(socket: TestSocket): { name: string; payload: unknown }[] {
  const log: { name: string; payload: unknown }[] = [];
  const names = [
    "socket:open",
    "socket:hello",
    "socket:resumed",
    "socket:reconnecting",
    "socket:lost",
    "socket:close",
    "socket:error",
    "socket:overflow",
  ] as const;
  for (const name of names) socket.on(name, (payload) => void log.push({ name, payload }));
  return log;
}

/** A fresh mock server and a socket to it for each test, both closed after it. */
export function useServerAndSocket(onStart: (server: MockSocketServer, socket: TestSocket) => void): void {
  let started: [MockSocketServer, TestSocket] | undefined;
  beforeEach(async () => {
    const server = await MockSocketServer.start();
    started = [server, testSocket(server.url)];
    onStart(...started);
  });
  afterEach(async () => {
    await started?.[1].close();
    await started?.[0].close();
  });
}
