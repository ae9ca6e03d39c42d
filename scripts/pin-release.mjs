#!/usr/bin/env node
// npm run pin -- <version> <spec>: makes <spec> the pinned release, the one `generate` reads without
// --spec and whose overlays must all apply (docs/upgrading.md, last step). Writes spec/default.json:
// the version (a tag of mattermost/mattermost, e.g. v11.7.0), the local path (relative to the
// package root), the upstream fragment folder URL of that tag, and the fragment order, read from
// the `build-order.txt` beside the spec (in the folder, or beside the bundled file or its folder).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [version, spec] = process.argv.slice(2);
if (version === undefined || spec === undefined || !/^v?\d|^\d{4}-\d{2}/.test(version)) {
  process.stderr.write("usage: npm run pin -- <version, e.g. v11.7.0> <the release's mattermost-openapi-v4.yaml or source/ folder>\n");
  process.exit(2);
}
const path = resolve(spec);
if (!existsSync(path)) {
  process.stderr.write(`error: ${spec} does not exist. Fetch the release first (docs/upgrading.md, step 1).\n`);
  process.exit(2);
}
const folder = statSync(path).isDirectory() ? path : dirname(path);
const orderFile = [
  join(folder, "build-order.txt"),
  join(dirname(folder), "build-order.txt"),
  join(folder, "source", "build-order.txt"),
].find((candidate) => existsSync(candidate));
const file = join(root, "spec", "default.json");
const current = JSON.parse(readFileSync(file, "utf8"));
let fragments = current.fragments;
if (orderFile !== undefined) {
  fragments = readFileSync(orderFile, "utf8")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => basename(line));
} else if (statSync(path).isDirectory()) {
  fragments = readdirSync(path)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
}
const pinned = {
  ...current,
  version,
  local: relative(root, path).split("\\").join("/"),
  url: `https://raw.githubusercontent.com/mattermost/mattermost/${version}/api/v4/source/`,
  fragments,
};
writeFileSync(file, `${JSON.stringify(pinned, null, 2)}\n`);
process.stdout.write(`pinned ${version}: spec/default.json reads ${pinned.local} (${fragments.length} fragments upstream)\n`);
