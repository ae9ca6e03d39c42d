// uploadFile's two other forms on the real server, typed by spec/overlays/36-upload-file.yaml and
// compiled without casts: several files with their client ids in one form, and the raw body.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { getFile, uploadFile } from "../../generated/endpoints/index.js";
import { namedFile } from "../../runtime/index.js";
import { adminClient, freshChannel } from "./fixtures.js";

describe("uploadFile on the real server", () => {
  it("takes files and client_ids as arrays (repeated parts) and answers them in order", async () => {
    const admin = adminClient();
    const channel = await freshChannel(admin, "uploads", []);
    const result = await uploadFile(admin, {
      body: {
        channel_id: channel.id ?? "",
        files: [await namedFile(new TextEncoder().encode("one"), "one.txt"), await namedFile(new Uint8Array([1, 2, 3, 4]), "two.bin")],
        client_ids: ["first", "second"],
      },
    });
    expect(result.client_ids).toEqual(["first", "second"]);
    expect(result.file_infos?.map((info) => [info.name, info.size])).toEqual([
      ["one.txt", 3],
      ["two.bin", 4],
    ]);
  });

  it("takes the file's bytes as the body, streamed, with channel_id and filename in the query", async () => {
    const admin = adminClient();
    const channel = await freshChannel(admin, "uploads-raw", []);
    const body = Readable.from([Buffer.from("raw "), Buffer.from("bytes")]);
    const result = await uploadFile(admin, { channel_id: channel.id ?? "", filename: "raw.txt", body });
    const info = result.file_infos?.[0];
    expect(info).toMatchObject({ name: "raw.txt", size: 9, channel_id: channel.id });
    const blob = await getFile(admin, { file_id: info?.id ?? "" });
    expect(await blob.text()).toBe("raw bytes");
  });
});
