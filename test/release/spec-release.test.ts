// Which release a spec describes (generator/release.ts), and the generated release.ts that
// records it, from the real pinned spec, the real 2023-06 spec (which says no release) and the CLI.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../../generator/generate.js";
import { packageRoot, readDefaultSpec } from "../../generator/paths.js";
import { normalizeRelease, specRelease } from "../../generator/release.js";
import { cli, failure, small, tempDir } from "../plugins/helpers.js";

const pinned = readDefaultSpec();
const base = { kind: "file" as const, cwd: packageRoot, pinned, packageRoot };
const old2023 = join(packageRoot, "..", "shared", "mattermost-api", "2023-06", "mattermost-openapi-v4.yaml");

const work = tempDir("release");
afterAll(() => work.remove());

describe("specRelease", () => {
  it("takes the pinned release for the pinned spec, by its local path or its URL", () => {
    expect(specRelease({ ...base, location: pinned.local })).toBe("11.6.0");
    expect(specRelease({ ...base, kind: "url", location: pinned.url })).toBe("11.6.0");
  });

  it("reads a vX.Y.Z folder of the location, of a path or an upstream URL", () => {
    expect(specRelease({ ...base, location: "/tmp/specs/v11.7.2/mattermost-openapi-v4.yaml" })).toBe("11.7.2");
    expect(
      specRelease({ ...base, kind: "url", location: "https://raw.githubusercontent.com/mattermost/mattermost/v12.0.0/api/v4/source/" }),
    ).toBe("12.0.0");
    // Not a folder of its own, or not a release: nothing to go by.
    expect(specRelease({ ...base, location: "/tmp/mattermost-openapi-v4.yaml" })).toBeNull();
    expect(specRelease({ ...base, location: "/tmp/v11.7.2-draft/spec.yaml" })).toBeNull();
    expect(specRelease({ ...base, location: old2023 })).toBeNull();
  });

  it("lets the caller name it, and refuses what is not MAJOR.MINOR.PATCH", () => {
    expect(specRelease({ ...base, location: old2023, explicit: "v8.0.0" })).toBe("8.0.0");
    expect(specRelease({ ...base, location: pinned.local, explicit: "11.7.0" })).toBe("11.7.0");
    expect(() => specRelease({ ...base, location: old2023, explicit: "eight" })).toThrow(
      expect.objectContaining({ code: "CONFIG_INVALID", message: '--release "eight" is not a Mattermost release.' }),
    );
    expect(normalizeRelease("011.06.00")).toBe("11.6.0");
    expect(normalizeRelease("11.6")).toBeUndefined();
  });
});

describe("release.ts", () => {
  it("records the pinned release and the spec's hash for the default run", async () => {
    const result = await generate({});
    expect(result.summary.release).toBe("11.6.0");
    const text = result.files.get("release.ts") ?? "";
    expect(text).toContain('  release: "11.6.0",\n');
    expect(text).toContain(`  specSha256: "${result.summary.specSha256}",\n`);
    expect(text).toContain(`  inputsSha256: "${result.summary.inputsSha256}",\n`);
  });

  it.skipIf(!existsSync(old2023))("records null for 2023-06 (its info.version is the API's 4.0.0), or what --release says", async () => {
    const plain = await generate({ spec: old2023, overlays: false, catalog: false });
    expect(plain.model.apiVersion).toBe("4.0.0");
    expect(plain.files.get("release.ts")).toContain("  release: null,\n");
    const named = await generate({ spec: old2023, overlays: false, catalog: false, release: "8.0.0" });
    expect(named.files.get("release.ts")).toContain('  release: "8.0.0",\n');
  });

  it("is a GeneratorError for a bad release, before anything is emitted", async () => {
    const error = await failure(generate({ ...small, release: "latest" }));
    expect(error).toMatchObject({ code: "CONFIG_INVALID", hint: expect.stringContaining("--release 11.7.0") });
  });

  it("takes --release on the command line; a bad one exits 2 with the message", async () => {
    const out = join(work.path, "client");
    const good = await cli([
      "generate",
      "--quiet",
      "--no-diff",
      "--no-config",
      "--spec",
      small.spec,
      "--no-overlays",
      "--no-catalog",
      "--release",
      "v9.11.3",
      "--out",
      out,
    ]);
    expect(good.stderr).toBe("");
    expect(good.code).toBe(0);
    expect(readFileSync(join(out, "release.ts"), "utf8")).toContain('  release: "9.11.3",\n');
    const bad = await cli([
      "generate",
      "--quiet",
      "--no-diff",
      "--no-config",
      "--spec",
      small.spec,
      "--no-overlays",
      "--no-catalog",
      "--release",
      "nine",
      "--out",
      out,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--release "nine" is not a Mattermost release.');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
