// The client in Bun and Deno against a real Mattermost server: `npm run test:runtimes`.
// Same server setup as vitest.e2e.config.ts (test/e2e/global-setup.ts); the runtimes' binaries come
// from the `bun` and `deno` devDependencies.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/runtimes/**/*.test.ts"],
    globalSetup: ["test/e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
