// Builds (if needed) and starts one real Mattermost server for the whole e2e run, hands its facts
// to the tests through vitest's provide/inject, and stops it afterwards (also when tests fail).
import type { TestProject } from "vitest/node";
import { startServer } from "../../scripts/mattermost-server/server.mjs";
import "./server-facts.js";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startServer();
  project.provide("mattermost", server.facts);
  return async () => {
    await server.stop();
  };
}
