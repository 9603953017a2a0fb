import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { ManifestLoadError, ManifestSource } from "../src/index.ts";
import { MANIFEST } from "./helpers.ts";

describe("ManifestSource over HTTP", () => {
  let base: string;
  let sentBytes = 0;
  const server = createServer((req, res) => {
    if (req.url === "/endless.json") {
      // Chunked, no content-length, never ends on its own: the reader must stop it.
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (res.write(chunk)) {
          sentBytes += chunk.length;
          if (sentBytes > 64 * 1024 * 1024) return res.end();
        }
        res.once("drain", pump);
      };
      res.on("close", () => res.removeAllListeners("drain"));
      pump();
    } else {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(MANIFEST));
    }
  });
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it("loads the published manifest", async () => {
    const index = await new ManifestSource({ location: `${base}/m.json`, refreshMs: 0 }).load();
    assert.equal(index.pageCount, 3);
  });

  it("stops reading a manifest past its byte cap, long before the server would stop", async () => {
    const source = new ManifestSource({
      location: `${base}/endless.json`,
      refreshMs: 0,
      maxBytes: 1024 * 1024,
    });
    await assert.rejects(
      source.load(),
      (error: unknown) => error instanceof ManifestLoadError && /too large/.test(error.message),
    );
    assert.ok(sentBytes < 16 * 1024 * 1024, `server sent ${sentBytes} bytes`);
  });
});
