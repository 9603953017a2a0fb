import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  AVATAR_DIR,
  type AvatarOptions,
  copyAvatars,
  saveAvatars,
} from "../../src/received/avatars.ts";
import { loadReceived } from "../../src/received/load.ts";
import { resolveReceivedOptions } from "../../src/received/options.ts";
import { renderPingbacks } from "../../src/received/render.ts";
import type { ReceivedEntry } from "../../src/received/types.ts";

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(100, 7),
]);
const OPTIONS: AvatarOptions = {
  maxBytes: 4096,
  maxCount: 10,
  timeoutMs: 5000,
  allowPrivateNetworks: true,
};

/** A photo host on loopback: a good PNG, an SVG, HTML calling itself a PNG, a huge one, a 404. */
let server: Server;
let origin = "";
const hits = new Map<string, number>();
before(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? "";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const send = (type: string, body: Buffer | string) =>
      response.writeHead(200, { "content-type": type }).end(body);
    if (path === "/ann.png") send("image/png", PNG);
    else if (path === "/evil.svg") send("image/svg+xml", "<svg onload='alert(1)'/>");
    else if (path === "/fake.png") send("image/png", "<!doctype html><p>not an image");
    else if (path === "/huge.png") send("image/png", Buffer.concat([PNG, Buffer.alloc(10_000)]));
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function like(source: string, photo: string | undefined): ReceivedEntry {
  return {
    source,
    target: "https://bob.example/posts/hello/",
    protocol: "webmention",
    property: "like-of",
    received: "2026-11-27T10:00:00.000Z",
    published: null,
    title: null,
    author: { name: source.slice(8, 11), url: null, ...(photo ? { photo } : {}) },
    lang: null,
  };
}

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "sp-avatars-"));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("authors' photos saved at build time", () => {
  it("keeps real images under the cap, once per URL, and refuses the rest with a reason", async () => {
    await withDir(async (cache) => {
      hits.clear();
      const entries = [
        like("https://ann.example/1", `${origin}/ann.png`),
        like("https://ann.example/2", `${origin}/ann.png`),
        like("https://evl.example/1", `${origin}/evil.svg`),
        like("https://fak.example/1", `${origin}/fake.png`),
        like("https://hug.example/1", `${origin}/huge.png`),
        like("https://gon.example/1", `${origin}/gone.png`),
        like("https://nop.example/1", undefined),
      ];
      const saved = await saveAvatars(entries, cache, "/blog/", OPTIONS);
      assert.equal(hits.get("/ann.png"), 1, "one fetch for two entries");
      assert.equal(saved.files.length, 1);
      const name = saved.files[0] as string;
      assert.match(name, /^[0-9a-f]{40}\.png$/);
      assert.deepEqual(await readFile(join(cache, AVATAR_DIR, name)), PNG);
      assert.equal(saved.entries[0]?.author?.avatar, `/blog/${AVATAR_DIR}/${name}`);
      assert.equal(saved.entries[1]?.author?.avatar, `/blog/${AVATAR_DIR}/${name}`);
      for (const refused of saved.entries.slice(2)) assert.equal(refused.author?.avatar, undefined);
      const reasons = saved.warnings.join("\n");
      assert.match(reasons, /evil\.svg not saved: content type "image\/svg\+xml" is not one kept/);
      assert.match(reasons, /fake\.png not saved: not the image its content type says/);
      assert.match(reasons, /huge\.png not saved: .*exceeds 4096/);
      assert.match(reasons, /gone\.png not saved: HTTP 404/);

      // The next build takes it from the cache, and copies it into the output.
      const again = await saveAvatars(entries.slice(0, 1), cache, "/", OPTIONS);
      assert.equal(hits.get("/ann.png"), 1);
      assert.equal(again.entries[0]?.author?.avatar, `/${AVATAR_DIR}/${name}`);
      const out = join(cache, "site");
      await copyAvatars(again.files, cache, out);
      assert.deepEqual(await readdir(join(out, AVATAR_DIR)), [name]);
    });
  });

  it("refuses private addresses unless allowed: photo URLs are strangers'", async () => {
    await withDir(async (cache) => {
      const saved = await saveAvatars(
        [like("https://ann.example/1", `${origin}/ann.png`)],
        cache,
        "/",
        {
          ...OPTIONS,
          allowPrivateNetworks: false,
        },
      );
      assert.equal(saved.files.length, 0);
      assert.match(saved.warnings.join("\n"), /refused to connect to 127\.0\.0\.1/);
    });
  });

  it("saves at most maxCount photos and says so", async () => {
    await withDir(async (cache) => {
      const entries = [
        like("https://ann.example/1", `${origin}/ann.png`),
        like("https://gon.example/1", `${origin}/gone.png`),
      ];
      const saved = await saveAvatars(entries, cache, "/", { ...OPTIONS, maxCount: 1 });
      assert.match(saved.warnings.join("\n"), /2 author photos, saving the first 1/);
      assert.equal(saved.entries[1]?.author?.avatar, undefined);
    });
  });

  it("loadReceived saves them when received.avatars is on, and the markup shows the copies", async () => {
    await withDir(async (dir) => {
      const feed = {
        type: "feed",
        children: [
          {
            "wm-source": "https://ann.example/likes/1",
            "wm-target": "https://bob.example/posts/hello/",
            "wm-property": "like-of",
            "like-of": "https://bob.example/posts/hello/",
            "wm-protocol": "webmention",
            "wm-received": "2026-11-27T10:00:00Z",
            // A feed cannot set the site's copy itself.
            author: { type: "card", name: "Ann", photo: `${origin}/ann.png`, avatar: "/x.png" },
          },
        ],
      };
      await writeFile(join(dir, "received.json"), JSON.stringify(feed));
      const off = await loadReceived(resolveReceivedOptions("received.json", "t"), { cwd: dir });
      assert.equal(off.entries[0]?.author?.avatar, undefined);
      assert.doesNotMatch(renderPingbacks(off.entries), /<img/, "off by default");

      const options = resolveReceivedOptions(
        { file: "received.json", avatars: { allowPrivateNetworks: true } },
        "t",
      );
      const on = await loadReceived(options, { cwd: dir, base: "/" });
      assert.equal(on.avatarFiles?.length, 1);
      const html = renderPingbacks(on.entries);
      assert.match(
        html,
        new RegExp(
          `<img class="pingbacks__avatar u-photo" src="/${AVATAR_DIR}/[0-9a-f]{40}\\.png"`,
        ),
      );
      assert.doesNotMatch(html, /127\.0\.0\.1/, "never the photo's own URL");
      assert.doesNotMatch(renderPingbacks(on.entries, { avatars: false }), /<img/);
    });
  });

  it("rejects bad avatar options at the door", () => {
    assert.throws(
      () => resolveReceivedOptions({ file: "f.json", avatars: { maxbytes: 1 } }, "t"),
      /"received\.avatars\.maxbytes" is not a known option\. Did you mean "maxBytes"\?/,
    );
    assert.throws(
      () => resolveReceivedOptions({ file: "f.json", avatars: "yes" }, "t"),
      /"received\.avatars" must be true, false or/,
    );
  });
});
