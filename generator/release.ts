/**
 * Which Mattermost release a spec describes: what the generated `release.ts` records and the
 * runtime's `checkServer` compares with a server's version. The spec cannot say it itself: its
 * `info.version` is the REST API's version (`4.0.0` in every release). So, in this order:
 *
 * 1. the release the caller names (`generate --release 11.7.0`);
 * 2. `spec/default.json`'s `version` when the spec is the pinned one (its local copy or its URL);
 * 3. a `vMAJOR.MINOR.PATCH` segment of the spec's location: `.../mattermost-api/v11.6.0/...`, or
 *    upstream's raw URLs (`.../mattermost/mattermost/v11.6.0/api/v4/...`);
 * 4. none (`null`): the client then cannot tell a server's release from its own.
 *
 * Pure: the pinned spec and the working directory are passed in.
 */
import { resolve } from "node:path";
import { GeneratorError } from "./errors.js";
import type { DefaultSpec } from "./paths.js";

/** `11.6.0`, `v11.6.0`: what `--release` accepts. */
const RELEASE = /^v?(\d+)\.(\d+)\.(\d+)$/;
/** A path or URL segment that names a release. */
const SEGMENT = /(?:^|[/\\])v(\d+\.\d+\.\d+)(?=[/\\]|$)/;

/** `v11.6.0` → `11.6.0`; `undefined` for anything else. */
export function normalizeRelease(text: string): string | undefined {
  const match = RELEASE.exec(text.trim());
  return match === null ? undefined : `${Number(match[1])}.${Number(match[2])}.${Number(match[3])}`;
}

export interface ReleaseInput {
  /** The spec's location as loaded (a path relative to `cwd`, or a URL). */
  readonly location: string;
  readonly kind: "file" | "folder" | "url";
  readonly cwd: string;
  /** What the caller said (`--release`), if anything. */
  readonly explicit?: string | undefined;
  readonly pinned: DefaultSpec;
  /** Where `pinned.local` is relative to. */
  readonly packageRoot: string;
}

/** The release the spec describes, `11.6.0`, or `null` when nothing says. Throws on a bad `explicit`. */
export function specRelease(input: ReleaseInput): string | null {
  if (input.explicit !== undefined) {
    const release = normalizeRelease(input.explicit);
    if (release === undefined) {
      throw new GeneratorError("CONFIG_INVALID", `--release "${input.explicit}" is not a Mattermost release.`, {
        hint: "Give MAJOR.MINOR.PATCH, for example --release 11.7.0 (a leading v is fine).",
      });
    }
    return release;
  }
  const pinnedHere =
    input.kind === "url"
      ? input.location === input.pinned.url
      : resolve(input.cwd, input.location) === resolve(input.packageRoot, input.pinned.local);
  if (pinnedHere) {
    const release = normalizeRelease(input.pinned.version);
    if (release !== undefined) return release;
  }
  const segment = SEGMENT.exec(input.location)?.[1];
  return segment === undefined ? null : (normalizeRelease(segment) ?? null);
}
