// Loads a spec the way `mattermost-typed diff` does: no overlays, no catalog.
import { join } from "node:path";
import type { DiffInput } from "../../generator/diff/compare.js";
import { loadModel } from "../../generator/generate.js";
import { packageRoot } from "../../generator/paths.js";

export const fixtures = join(packageRoot, "test", "fixtures", "diff");
export const realOld = join(packageRoot, "..", "shared", "mattermost-api", "2023-06", "mattermost-openapi-v4.yaml");
export const realNew = join(packageRoot, "..", "shared", "mattermost-api", "v11.6.0", "mattermost-openapi-v4.yaml");

export async function loadInput(spec: string): Promise<DiffInput> {
  const loaded = await loadModel({ spec, cwd: packageRoot, overlays: false, catalog: false });
  return { model: loaded.model, document: loaded.spec.document };
}
