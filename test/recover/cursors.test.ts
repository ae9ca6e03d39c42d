// Cursors and their stores: the window that tells posts of one millisecond apart, the memory store,
// and the file store on a real temporary directory (atomic writes, a corrupt file is an error).
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Cursors, WINDOW_MS, checkState, memoryCursorStore } from "../../runtime/recover/cursors.js";
import { CursorFileError, fileCursorStore } from "../../runtime/recover/file.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "mm-cursors-"));
  dirs.push(dir);
  return dir;
};

describe("cursors", () => {
  it("tell delivered posts by id inside the window and by time before it", () => {
    const cursors = new Cursors();
    cursors.record("c1", "a", 1_000);
    cursors.record("c1", "b", 5_000);
    // Same millisecond as b, not delivered: new.
    expect(cursors.delivered("c1", "b2", 5_000)).toBe(false);
    expect(cursors.delivered("c1", "b", 5_000)).toBe(true);
    // Inside the window (a late event of an earlier millisecond): by id.
    expect(cursors.delivered("c1", "x", 5_000 - WINDOW_MS + 1)).toBe(false);
    // Before the window: delivered.
    expect(cursors.delivered("c1", "a", 1_000)).toBe(true);
    expect(cursors.delivered("c1", "old", 5_000 - WINDOW_MS - 1)).toBe(true);
    // Another channel has no cursor: nothing is delivered there.
    expect(cursors.delivered("c2", "a", 1_000)).toBe(false);
    expect(cursors.at("c1")).toBe(5_000);
  });

  it("keep only the window's ids in the saved state, which reads back the same", () => {
    const cursors = new Cursors();
    for (let i = 0; i < 100; i++) cursors.record("c1", `p${i}`, i * 100);
    cursors.savedAt = 42;
    const state = cursors.toState();
    expect(state.channels.c1?.at).toBe(9_900);
    expect(Object.keys(state.channels.c1?.ids ?? {})).toHaveLength(WINDOW_MS / 100 + 1);
    expect(checkState(JSON.parse(JSON.stringify(state)))).toBeUndefined();
    const again = new Cursors(state);
    expect(again.delivered("c1", "p99", 9_900)).toBe(true);
    expect(again.delivered("c1", "new", 9_900)).toBe(false);
    expect(again.savedAt).toBe(42);
  });
});

describe("cursor stores", () => {
  it("memory: what was saved loads back", () => {
    const store = memoryCursorStore();
    expect(store.load()).toBeUndefined();
    const state = { version: 1 as const, savedAt: 1, channels: { c: { at: 5, ids: { p: 5 } } } };
    store.save(state);
    expect(store.load()).toEqual(state);
  });

  it("file: no file is a fresh start; saves replace the file whole, leaving no temporary file", () => {
    const dir = tempDir();
    const path = join(dir, "sub", "cursors.json");
    const store = fileCursorStore(path);
    expect(store.load()).toBeUndefined();
    const first = { version: 1 as const, savedAt: 1, channels: { c: { at: 5, ids: { p: 5 } } } };
    store.save(first);
    store.save({ ...first, savedAt: 2 });
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ ...first, savedAt: 2 });
    expect(readdirSync(join(dir, "sub"))).toEqual(["cursors.json"]);
    // Another store on the same file (a restarted process) reads it.
    expect(fileCursorStore(path).load()).toEqual({ ...first, savedAt: 2 });
  });

  it("file: a corrupt file is a CursorFileError naming the file and the problem, not a fresh start", () => {
    const dir = tempDir();
    const path = join(dir, "cursors.json");
    writeFileSync(path, '{"version":1,"savedAt":1,"chan');
    expect(() => fileCursorStore(path).load()).toThrow(CursorFileError);
    expect(() => fileCursorStore(path).load()).toThrow(`the cursor file ${path} is not JSON`);
    writeFileSync(path, '{"version":1,"savedAt":1,"channels":{"c":{"at":"soon","ids":{}}}}');
    expect(() => fileCursorStore(path).load()).toThrow("channels.c.at is not a number");
    writeFileSync(path, "[]");
    expect(() => fileCursorStore(path).load()).toThrow("not a JSON object");
  });

  it("file: a save that cannot write says which file", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "blocker"), "");
    const store = fileCursorStore(join(dir, "blocker", "cursors.json"));
    expect(() => store.save({ version: 1, savedAt: 0, channels: {} })).toThrow(/cannot write the cursor file .*blocker/);
  });
});
