/**
 * An example config that changes a core emitter through its hooks instead of forking it:
 * functions get an `mm` prefix (`mmGetUser`, so they never clash with an app's own names), each
 * function's JSDoc links the upstream documentation, and functions are filed by the first segment
 * of their route (`/api/v4/users/...` → `endpoints/users.ts`) instead of by tag.
 *
 *   npx mattermost-typed generate --config examples/plugins/naming.config.ts --out /tmp/mm-client
 *
 * Walked through in docs/templates.md; test/plugins/hooks.test.ts type-checks its output.
 */
import { defineConfig } from "mattermost-typed/generator";

export default defineConfig({
  plugins: [
    [
      "endpoints",
      {
        functionName: (operation) => `mm${operation.name.charAt(0).toUpperCase()}${operation.name.slice(1)}`,
        jsdoc: (operation, defaultLines) => [
          ...defaultLines,
          `API reference: https://developers.mattermost.com/api-documentation/#/operations/${operation.operationId}`,
        ],
        fileFor: (operation) => (/^\/api\/v4\/([a-z0-9_]+)/.exec(operation.path)?.[1] ?? "root").replaceAll("_", "-"),
      },
    ],
  ],
});
