// Markdown, JSON and text renderings of the small pair, against reviewed snapshots.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { diffModels } from "../../generator/diff/compare.js";
import { formatJson, formatMarkdown, formatText } from "../../generator/diff/format.js";
import type { ApiDiff } from "../../generator/diff/types.js";
import { fixtures, loadInput } from "./support.js";

let diff: ApiDiff;

beforeAll(async () => {
  diff = diffModels(await loadInput(join(fixtures, "old.yaml")), await loadInput(join(fixtures, "new.yaml")));
});

describe("formats", () => {
  it("renders Markdown with breaking changes first, grouped by tag", async () => {
    const markdown = formatMarkdown(diff);
    expect(markdown.indexOf("## Breaking changes")).toBeLessThan(markdown.indexOf("## Other changes"));
    await expect(markdown).toMatchFileSnapshot("__snapshots__/widgets.md");
  });

  it("renders stable JSON with version 1", async () => {
    const json = formatJson(diff);
    expect(JSON.parse(json)).toMatchObject({ version: 1, summary: { changes: diff.changes.length } });
    await expect(json).toMatchFileSnapshot("__snapshots__/widgets.json");
  });

  it("renders a short text summary", async () => {
    await expect(formatText(diff)).toMatchFileSnapshot("__snapshots__/widgets.txt");
  });
});
