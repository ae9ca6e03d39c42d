import { Readable } from "node:stream";
import { describe, expect, test } from "vitest";
import { uploadData, uploadFile } from "../../generated/endpoints/index.js";
import { type BinaryInput, createClient, namedFile } from "../../runtime/index.js";
import { type MockMattermost, useMockMattermost } from "../support/mock-mattermost.js";

let mock: MockMattermost;
let token: string;
useMockMattermost((m, t) => {
  mock = m;
  token = t;
});

const bytes = new TextEncoder().encode("hello, file \u2603\n");

function webStream(): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes.slice(0, 5));
      controller.enqueue(bytes.slice(5));
      controller.close();
    },
  });
}

const inputs: [string, () => BinaryInput][] = [
  ["Blob", () => new Blob([bytes], { type: "text/plain" })],
  ["Buffer", () => Buffer.from(bytes)],
  ["Uint8Array", () => bytes.slice()],
  ["ArrayBuffer", () => bytes.slice().buffer],
  ["web ReadableStream", webStream],
  ["Node Readable", () => Readable.from([Buffer.from(bytes.slice(0, 3)), Buffer.from(bytes.slice(3))])],
];

describe("multipart uploads", () => {
  test.each(inputs)("from a %s", async (_, make) => {
    const client = createClient({ baseUrl: mock.url, token });
    const result = await uploadFile(client, { body: { files: await namedFile(make(), "hello.txt"), channel_id: "chan" } });
    const info = result.file_infos?.[0];
    expect(info).toMatchObject({ name: "hello.txt", size: bytes.length, channel_id: "chan" });
    expect(mock.files.get(info!.id!)?.bytes).toEqual(Buffer.from(bytes));
    expect(mock.requests[0]?.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
  });

  test("any binary input works as a part directly; plain fields go first, whatever the key order", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    for (const [, make] of inputs) {
      // Typed BinaryInput, as the runtime takes it (test/types/uploads.types.ts).
      await uploadFile(client, { body: { files: make(), channel_id: "chan", client_ids: "c1" } });
    }
    for (const request of mock.requests) {
      const raw = request.body.toString("latin1");
      expect(raw.indexOf('name="channel_id"')).toBeLessThan(raw.indexOf('name="files"'));
      expect(raw.indexOf('name="client_ids"')).toBeLessThan(raw.indexOf('name="files"'));
    }
    expect([...mock.files.values()].slice(-inputs.length).map((file) => file.bytes.toString())).toEqual(
      inputs.map(() => Buffer.from(bytes).toString()),
    );
  });

  test("arrays become repeated parts (uploadFile's files and client_ids, typed by spec/overlays/36-upload-file.yaml)", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    const files = [new File(["a"], "a.txt"), new File(["bb"], "b.txt")];
    const result = await uploadFile(client, { body: { files, channel_id: "chan", client_ids: ["x", "y"] } });
    expect(result.file_infos?.map((file) => [file.name, file.size])).toEqual([
      ["a.txt", 1],
      ["b.txt", 2],
    ]);
    expect(result.client_ids).toEqual(["x", "y"]);
    // The list of files goes after client_ids although it comes first in the object: the server
    // expects no client ids once a file arrived without one (api4/file.go, uploadFileMultipart).
    const raw = mock.requests[0]!.body.toString("latin1");
    expect(raw.lastIndexOf('name="client_ids"')).toBeLessThan(raw.indexOf('name="files"'));
    expect(raw.indexOf('name="channel_id"')).toBeLessThan(raw.indexOf('name="files"'));
  });

  test("a multipart upload is not retried by default (POST), and a failed one says why", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    await expect(uploadFile(client, { body: { files: new Blob(["x"]) } })).rejects.toMatchObject({
      status: 400,
      id: "api.file.upload_file.multipart.app_error",
    });
    expect(mock.requests).toHaveLength(1);
  });
});

describe("raw uploads", () => {
  test("file contents as the whole body are streamed, with channel_id and filename in the query", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < 64; i++) yield Buffer.alloc(16 * 1024, i);
      })(),
    );
    // The generated uploadFile, its body typed `{ ...form } | BinaryInput` (spec/overlays/36-upload-file.yaml).
    const result = await uploadFile(client, { channel_id: "chan", filename: "big.bin", body });
    expect(result.file_infos?.[0]).toMatchObject({ name: "big.bin", size: 1024 * 1024 });
    const request = mock.requests[0]!;
    expect(request.headers["content-type"]).toBe("application/octet-stream");
    expect(request.headers["transfer-encoding"]).toBe("chunked");
    expect(request.query).toEqual({ channel_id: "chan", filename: "big.bin" });
  });

  test("uploadData takes the chunk's bytes as the body (typed binary by spec/overlays/35-upload-data.yaml)", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    mock.override("POST /api/v4/uploads/up1", ({ request }) => ({
      status: 201,
      json: { id: "file1", name: "chunk.bin", size: request.body.length, mime_type: request.headers["content-type"] },
    }));
    const info = await uploadData(client, { upload_id: "up1", body: bytes });
    expect(info).toMatchObject({ id: "file1", size: bytes.length, mime_type: "application/octet-stream" });
    expect(mock.requests[0]?.body).toEqual(Buffer.from(bytes));
    // Type-level (checked by tsc over the whole project in test/generator/typecheck.test.ts):
    // @ts-expect-error an object is not a body for uploadData
    const wrong: Parameters<typeof uploadData>[1] = { upload_id: "up1", body: { a: "1" } };
    void wrong;
  });

  test("binary, form and text bodies", async () => {
    const client = createClient({ baseUrl: mock.url, token });
    mock.override("POST /api/v4/echo", ({ request }) => ({
      json: { type: request.headers["content-type"], body: request.body.toString() },
    }));
    const echo = (body: unknown, kind: "binary" | "form" | "text") =>
      client.call("POST", "/api/v4/echo", { body }, undefined, { body: kind });
    expect(await echo(bytes, "binary")).toEqual({ type: "application/octet-stream", body: "hello, file \u2603\n" });
    expect(await echo({ a: "1", b: "x y" }, "form")).toEqual({ type: "application/x-www-form-urlencoded", body: "a=1&b=x+y" });
    expect(await echo("plain", "text")).toEqual({ type: "text/plain", body: "plain" });
  });
});

describe("binary downloads", () => {
  async function stored(): Promise<string> {
    const client = createClient({ baseUrl: mock.url, token });
    const contents = new TextEncoder().encode('{"looks":"like json"}');
    const result = await uploadFile(client, {
      body: { channel_id: "chan", files: new File([contents], "data.json", { type: "application/json" }) },
    });
    return result.file_infos![0]!.id!;
  }
  const download = (file_id: string, as?: "blob" | "arrayBuffer" | "stream") =>
    createClient({ baseUrl: mock.url, token }).call("GET", "/api/v4/files/{file_id}", { file_id }, { as }, { response: "binary" });

  test("a Blob by default, never parsed as JSON", async () => {
    const data = await download(await stored());
    expect(data).toBeInstanceOf(Blob);
    expect(await (data as Blob).text()).toBe('{"looks":"like json"}');
    expect((data as Blob).type).toBe("application/json");
  });

  test("an ArrayBuffer or a stream on request", async () => {
    const id = await stored();
    const buffer = await download(id, "arrayBuffer");
    expect(buffer).toBeInstanceOf(ArrayBuffer);
    expect(new TextDecoder().decode(buffer as ArrayBuffer)).toBe('{"looks":"like json"}');
    const stream = await download(id, "stream");
    expect(stream).toBeInstanceOf(ReadableStream);
    expect(await new Response(stream as ReadableStream).text()).toBe('{"looks":"like json"}');
  });

  test("an error on a binary route is still a MattermostError", async () => {
    await expect(download("missing")).rejects.toMatchObject({ status: 404, id: "app.file_info.get.app_error" });
  });
});
