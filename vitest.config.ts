import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**", "test/runtimes/**", "test/browser/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Type tests: `*.test-d.ts` files are checked, not run, by the native TypeScript compiler over
    // tsconfig.json (the whole project, every test file included), so a wrong type, an
    // `expectTypeOf` that does not hold or an `@ts-expect-error` that no longer errs fails `npm test`.
    typecheck: {
      enabled: true,
      include: ["test/**/*.test-d.ts"],
      checker: "tsgo",
      tsconfig: "tsconfig.json",
    },
  },
});
