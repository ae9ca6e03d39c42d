/**
 * Stage 6: write. Output is built in a sibling folder and swapped into place with renames, so a
 * failed run leaves the previous output untouched and readers never see half a generation.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { GeneratorError } from "./errors.js";

/** Files of a folder, relative paths with `/`, sorted. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(dir, path).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

/** Which files differ between the folder and what would be written (added, changed, removed). */
export function compareOutput(dir: string, files: ReadonlyMap<string, string>): string[] {
  const differences: string[] = [];
  const existing = new Set(listFiles(dir));
  for (const [name, text] of files) {
    if (!existing.has(name)) differences.push(`missing ${name}`);
    else if (readFileSync(join(dir, name), "utf8") !== text) differences.push(`changed ${name}`);
    existing.delete(name);
  }
  for (const name of existing) differences.push(`extra ${name}`);
  return differences.sort();
}

/** Replaces `dir` with exactly `files`, atomically from the point of view of a reader of `dir`. */
export function writeOutput(dir: string, files: ReadonlyMap<string, string>): void {
  const target = resolve(dir);
  const parent = dirname(target);
  const stamp = `${process.pid}-${Date.now()}`;
  const staging = join(parent, `.${basenameOf(target)}.new-${stamp}`);
  const previous = join(parent, `.${basenameOf(target)}.old-${stamp}`);
  try {
    mkdirSync(staging, { recursive: true });
    for (const [name, text] of files) {
      const path = join(staging, name);
      if (!path.startsWith(staging + sep))
        throw new GeneratorError("OUTPUT_WRITE", `The output file name "${name}" points outside the output folder.`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
    if (existsSync(target)) renameSync(target, previous);
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(target) && existsSync(previous)) renameSync(previous, target);
    if (error instanceof GeneratorError) throw error;
    throw new GeneratorError("OUTPUT_WRITE", `Cannot write the output folder: ${(error as Error).message}.`, {
      file: dir,
      hint: "Check that the folder (and its parent) is writable and the disk is not full. The previous output is unchanged.",
    });
  }
  rmSync(previous, { recursive: true, force: true });
}

function basenameOf(path: string): string {
  return path.split(sep).pop() ?? "out";
}
