/**
 * `mattermost-typed/recover/file`: a cursor store in a JSON file, for Node. A process that
 * restarts with the same file picks up where it stopped.
 *
 * Writes are atomic: the state goes to `<file>.<pid>.tmp`, which is then renamed over the file,
 * so a crash leaves the old state or the new one, never half of one. A file that exists but cannot
 * be read as a cursor state is an error (`CursorFileError`, naming the file and what is wrong),
 * not a silent fresh start: that would deliver nothing of what was missed and say nothing.
 *
 * @module mattermost-typed/recover/file
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type CursorState, type CursorStore, checkState } from "./cursors.js";

/** A cursor file that exists but is not a cursor state, or that cannot be read or written. */
export class CursorFileError extends Error {
  /** The file's absolute path. */
  declare readonly path: string;
  constructor(path: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "CursorFileError";
    Object.assign(this, { path });
  }
}

/**
 * A cursor store in `path` (created on the first save, with its directory). Reading happens in
 * `load` (when the socket is created) and throws `CursorFileError` for a corrupt file.
 */
export function fileCursorStore(path: string): CursorStore & { readonly path: string } {
  const file = resolve(path);
  return {
    path: file,
    load() {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw new CursorFileError(file, `cannot read the cursor file ${file}: ${(error as Error).message}`, error);
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new CursorFileError(
          file,
          `the cursor file ${file} is not JSON (${(error as Error).message}); fix or delete it (deleting it starts over: what was missed before is not recovered)`,
          error,
        );
      }
      const problem = checkState(value);
      if (problem) {
        throw new CursorFileError(
          file,
          `the cursor file ${file} is not a cursor state: ${problem}; fix or delete it (deleting it starts over)`,
        );
      }
      return value as CursorState;
    },
    save(state) {
      const temp = `${file}.${process.pid}.tmp`;
      try {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(temp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
        renameSync(temp, file);
      } catch (error) {
        throw new CursorFileError(file, `cannot write the cursor file ${file}: ${(error as Error).message}`, error);
      }
    },
  };
}

export { type ChannelCursor, type CursorState, type CursorStore, memoryCursorStore } from "./cursors.js";
