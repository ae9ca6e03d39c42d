// checkServer against the real server: it reports 11.4.0 (scripts/mattermost-server/README.md),
// older than the pinned v11.6.0 the client is generated from, over REST and over the socket hello.
import { afterEach, describe, expect, it } from "vitest";
import { checkServer, checkServerVersion, createClient, generatedFrom } from "../../runtime/index.js";
import { createMattermostSocket, type HelloSignal, type MattermostSocket } from "../../runtime/socket/index.js";
import { mattermost } from "./server-facts.js";

const sockets: MattermostSocket[] = [];
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((socket) => socket.close()));
});

describe("checkServer on the real server", () => {
  it("reads X-Version-Id from the ping without signing in: 11.4 is two minors older than 11.6", async () => {
    const server = mattermost();
    expect(generatedFrom.release).toBe("11.6.0");
    const result = await checkServer(createClient({ baseUrl: server.url }));
    expect(result).toMatchObject({
      status: "older",
      minorsApart: 2,
      source: "header",
      server: { release: "11.4.0", major: 11, minor: 4, patch: 0, raw: server.serverVersion, licensed: false },
      client: { release: "11.6.0", specSha256: generatedFrom.specSha256 },
    });
    expect(result.message).toBe(
      "the server runs 11.4.0, older than 11.6.0 this client was generated from: operations added since may answer 404 (see mattermost-typed diff)",
    );
  });

  it("says the same release for a client generated from 11.4, and newer for one from 10.x", async () => {
    const client = createClient({ baseUrl: mattermost().url, token: mattermost().user.token });
    expect(await checkServer(client, { generatedFrom: { release: "11.4.2", specSha256: "" } })).toMatchObject({
      status: "same",
      patch: "older",
    });
    expect(await checkServer(client, { generatedFrom: { release: "10.11.0", specSha256: "" } })).toMatchObject({
      status: "newer",
      minorsApart: undefined,
    });
  });

  it("gives the same answer from the socket hello's server_version", async () => {
    const server = mattermost();
    const socket = createMattermostSocket({ url: server.url, token: server.user.token });
    sockets.push(socket);
    const hello = new Promise<HelloSignal>((resolve) => socket.once("socket:hello", resolve));
    const event = new Promise<{ server_version: string }>((resolve) => socket.once("hello", (e) => resolve(e.data)));
    await socket.ready();
    const fromSignal = checkServerVersion(await hello);
    const fromEvent = checkServerVersion(await event);
    const overRest = await checkServer(createClient({ baseUrl: server.url }));
    expect(fromSignal).toMatchObject({ status: "older", minorsApart: 2, source: "hello", server: { release: "11.4.0" } });
    expect({ ...fromEvent, source: "header" }).toEqual(overRest);
    expect(fromSignal.server).toEqual(overRest.server);
  });
});
