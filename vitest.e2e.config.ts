// End-to-end tests against a real Mattermost server: `npm run test:e2e`.
// test/e2e/global-setup.ts builds the server (first time only, many minutes) and starts it once
// for the whole run; tests read its facts with `mattermost()` from test/e2e/server-facts.ts.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.test.ts"],
    globalSetup: ["test/e2e/global-setup.ts"],
    // One server with a low rate limit serves every file: run the files one after another.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
