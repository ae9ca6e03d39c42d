/**
 * Size is a test: what a bundle pays for the core client and for each further call
 * (measured the way `npm run bench:rest` does: esbuild --bundle --minify --format=esm, then gzip).
 */
import { expect, test } from "vitest";

interface Sizes {
  openapiFetch: number;
  core: number;
  perCall: number;
  full: number;
  leaks: string[];
}

test("createClient + createPost stays within its budget (5 500 B gzipped since issue 24), each further call under 120 B", async () => {
  const bench = new URL("../../scripts/bench/rest.mjs", import.meta.url).href;
  const { measureSizes, TARGETS } = (await import(bench)) as {
    measureSizes: () => Promise<Sizes>;
    TARGETS: { coreBytes: number; perCallBytes: number };
  };
  const sizes = await measureSizes();
  expect(sizes.core).toBeLessThanOrEqual(TARGETS.coreBytes);
  expect(sizes.perCall).toBeLessThan(TARGETS.perCallBytes);
  // The core entry never pulls in the method table or unused operations.
  expect(sizes.leaks).toEqual([]);
  expect(sizes.full).toBeGreaterThan(sizes.core * 2);
});
