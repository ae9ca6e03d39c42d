/**
 * Classifying the overlay actions (issue 19): the overlay stage of `generate` on the real
 * releases, in this process, from the built generator (dist/generator). For each spec, per round:
 * a fresh copy of the loaded document (not timed), then `applyOverlays` (classify every action,
 * apply the applicable ones: what `generate` runs), and the same targets' JSONPath queries alone
 * (what applying cost before the states existed), so the difference is what the states add.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { median, root } from "./lib.mjs";

const releases = [
  { id: "v11.6.0", spec: join(root, "..", "shared", "mattermost-api", "v11.6.0", "mattermost-openapi-v4.yaml") },
  { id: "2023-06", spec: join(root, "..", "shared", "mattermost-api", "2023-06", "mattermost-openapi-v4.yaml") },
];

const load = (path) => import(pathToFileURL(join(root, "dist", "generator", path)).href);

export async function benchOverlays({ runs, generationMs }) {
  const { loadSpec } = await load("load.js");
  const { applyOverlays, readOverlays } = await load("overlay.js");
  const { queryJsonPath } = await load("jsonpath.js");
  const { mergeDuplicateKeys } = await load("repair.js");
  const overlays = readOverlays(join(root, "spec", "overlays"), "spec/overlays");
  const actions = overlays.flatMap((overlay) => overlay.actions);
  const rounds = Math.max(runs, 5) * 4;
  const rows = [];
  for (const release of releases) {
    const spec = await loadSpec(release.spec, { cwd: root });
    mergeDuplicateKeys(spec);
    const text = JSON.stringify(spec.document);
    spec.release();
    const classify = [];
    const query = [];
    let outcomes;
    // One untimed round first: the JIT compiles the JSONPath walk and the comparisons.
    for (let round = -1; round < rounds; round += 1) {
      let document = JSON.parse(text);
      let started = performance.now();
      for (const action of actions) queryJsonPath(document, action.target);
      const queried = performance.now() - started;
      document = JSON.parse(text);
      started = performance.now();
      outcomes = applyOverlays(document, overlays).outcomes;
      const classified = performance.now() - started;
      if (round >= 0) {
        query.push(queried);
        classify.push(classified);
      }
    }
    const counts = {};
    for (const outcome of outcomes) counts[outcome.state] = (counts[outcome.state] ?? 0) + 1;
    rows.push({
      id: release.id,
      actions: actions.length,
      counts,
      rounds,
      classifyMedianMs: median(classify),
      queryMedianMs: median(query),
      addedMs: median(classify.map((ms, index) => ms - query[index])),
    });
  }
  const v11 = rows[0];
  const checks =
    generationMs === undefined
      ? []
      : [
          {
            what: "classifying and applying the overlay actions on v11.6.0, share of our generation time",
            value: v11.classifyMedianMs / generationMs,
            target: "<= 0.1 (a tenth)",
            pass: v11.classifyMedianMs / generationMs <= 0.1,
            kind: "time",
          },
        ];
  return { rows, generationMs, checks };
}
