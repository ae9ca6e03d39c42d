// The client in a real browser (Debian's Chromium through playwright-core) against a real
// Mattermost server: `npm run test:browser`. Same server setup as vitest.e2e.config.ts
// (test/e2e/global-setup.ts); test/browser/proxy.ts puts the page on the server's origin.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    globalSetup: ["test/e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
