// Uploads type-check as they run (#23): compiled by test/generator/typecheck.test.ts (tsc and
// tsgo, strict). Every call below runs against the server in test/rest/upload.test.ts; before the
// fix the raw body and the `files` array failed with TS2559/TS2322. The `@ts-expect-error` lines
// are what the server does not take, and must stay errors.
import { uploadData, uploadFile, uploadPlugin } from "../../generated/index.js";
import type { BinaryInput } from "../../runtime/body.js";
import type { Transport } from "../../runtime/transport.js";

declare const client: Transport;
declare const blob: Blob;
declare const bytes: Uint8Array;
declare const buffer: ArrayBuffer;
declare const stream: ReadableStream<Uint8Array>;
declare const chunks: AsyncIterable<Uint8Array>;
declare const any: BinaryInput;

// uploadFile, multipart: one file or several (repeated parts), and as many client ids.
void uploadFile(client, { body: { channel_id: "c1", files: blob } });
void uploadFile(client, { body: { channel_id: "c1", files: [blob, bytes, buffer], client_ids: ["a", "b", "c"] } });
void uploadFile(client, { body: { channel_id: "c1", files: [stream], client_ids: "a" } });
// uploadFile, raw: the file's bytes as the body, channel_id and filename in the query.
void uploadFile(client, { channel_id: "c1", filename: "report.pdf", body: bytes });
void uploadFile(client, { channel_id: "c1", filename: "report.pdf", body: stream });
void uploadFile(client, { channel_id: "c1", filename: "report.pdf", body: chunks });
void uploadFile(client, { channel_id: "c1", filename: "report.pdf", body: any });
// @ts-expect-error a file's contents are bytes, not text
void uploadFile(client, { body: { channel_id: "c1", files: "hello" } });
// @ts-expect-error client_ids are strings
void uploadFile(client, { body: { channel_id: "c1", files: [blob], client_ids: [1] } });
// @ts-expect-error a list of bodies is not a body
void uploadFile(client, { channel_id: "c1", filename: "a", body: [bytes] });
// @ts-expect-error the body is required
void uploadFile(client, { channel_id: "c1", filename: "a" });

// uploadData: any binary input, never an object.
void uploadData(client, { upload_id: "u1", body: blob });
void uploadData(client, { upload_id: "u1", body: buffer });
void uploadData(client, { upload_id: "u1", body: stream });
void uploadData(client, { upload_id: "u1", body: chunks });
// @ts-expect-error the body is the file's bytes, not a form
void uploadData(client, { upload_id: "u1", body: { file: blob } });

// Other multipart uploads take any binary input as their part, but one part, and only the form.
void uploadPlugin(client, { body: { plugin: stream } });
// @ts-expect-error uploadPlugin reads one `plugin` part
void uploadPlugin(client, { body: { plugin: [blob, blob] } });
// @ts-expect-error uploadPlugin takes the form, not the raw bytes
void uploadPlugin(client, { body: bytes });
