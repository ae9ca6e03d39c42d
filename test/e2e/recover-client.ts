// A client process for the recovery end-to-end test (bundled by it with esbuild and run with node):
// a Mattermost socket with recovery and a file cursor store, printing one JSON line per delivered
// post and per signal. SIGTERM closes the socket (the store is saved) and exits 0.
//
//   node recover-client.mjs <url> <token> <cursor file>
import { WebSocket } from "ws";
import { createClient } from "../../runtime/index.js";
import { fileCursorStore } from "../../runtime/recover/file.js";
import { recovery } from "../../runtime/recover/index.js";
import { createMattermostSocket } from "../../runtime/socket/index.js";

const [url = "", token = "", cursorFile = ""] = process.argv.slice(2);
const print = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

const client = createClient({ baseUrl: url, token, retry: { retries: 20, maxWaitMs: 120_000, backoffMs: 200 } });
const socket = createMattermostSocket({
  url,
  token,
  // Given, not loaded at run time: the bundle has no node_modules next to it.
  WebSocket,
  reconnect: { initialDelayMs: 50, maxDelayMs: 400, jitter: 0 },
  recover: recovery({ client, store: fileCursorStore(cursorFile), saveDelayMs: 50 }),
});
socket.on("posted", (event) => {
  const { id, channel_id, create_at, user_id, type } = event.data.post;
  print({ kind: "posted", id, channel_id, create_at, user_id, type, recovered: event.recovered === true });
});
for (const name of ["socket:hello", "socket:resumed", "socket:lost", "socket:recovered", "socket:recovery_failed"] as const) {
  socket.on(name, (payload: object) => print({ kind: "signal", name, ...payload, cause: undefined }));
}
socket.on("socket:error", (error) => print({ kind: "signal", name: "socket:error", code: error.code, message: error.message }));
process.once("SIGTERM", () => {
  void socket.close().then(() => process.exit(0));
});
