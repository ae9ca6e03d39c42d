/** Where the package's own files are: the project root, `spec/`, the version. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "mattermost-typed") return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`mattermost-typed: cannot find the package root from ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The package root (holds package.json, spec/). */
export const packageRoot: string = findRoot();
export const specDir: string = join(packageRoot, "spec");
export const generatorVersion: string = (JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string })
  .version;

export interface DefaultSpec {
  readonly version: string;
  /** Path relative to the package root, used when it exists. */
  readonly local: string;
  /** The same release upstream: a folder URL (ending in /) of fragments. */
  readonly url: string;
  readonly fragments: readonly string[];
}

export function readDefaultSpec(): DefaultSpec {
  return JSON.parse(readFileSync(join(specDir, "default.json"), "utf8")) as DefaultSpec;
}
