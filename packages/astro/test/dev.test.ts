import assert from "node:assert/strict";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { dev } from "astro";
import staticPingback from "../src/index.ts";
import { fixtureRoot } from "./helpers/build-fixture.ts";

type DevServer = Awaited<ReturnType<typeof dev>>;

describe("astro dev", () => {
  let server: DevServer;
  let data: string;
  let work: string;
  const page = async (): Promise<string> => {
    const response = await fetch(`http://127.0.0.1:${server.address.port}/blog/posts/hello/`);
    assert.equal(response.status, 200);
    return response.text();
  };

  before(async () => {
    // Outside node_modules (which the dev server does not watch) and outside the fixture.
    work = await mkdtemp(path.join(tmpdir(), "sp-astro-dev-"));
    data = path.join(work, "pingbacks.json");
    await copyFile(path.join(fixtureRoot("received"), "data/pingbacks.json"), data);
    server = await dev({
      root: fixtureRoot("received"),
      site: "https://example.com",
      base: "/blog",
      logLevel: "error",
      cacheDir: path.join(work, "vite-cache"),
      server: { host: "127.0.0.1", port: 0 },
      integrations: [staticPingback({ received: data, stateDir: path.join(work, ".pingback") })],
    });
  });
  after(async () => {
    await server?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it("renders <Pingbacks /> and injects nothing", async () => {
    const html = await page();
    assert.match(html, /<section class="pingbacks" data-no-pingback>.*A friendly reply/s);
    assert.doesNotMatch(html, /rel="pingback"/);
  });

  it("shows a change of the received file on the next request", async () => {
    const text = await readFile(data, "utf8");
    await writeFile(data, text.replace("A friendly reply", "An edited reply"));
    let html = "";
    // The watcher reports the change a little later; ask again until it has.
    for (let attempt = 0; attempt < 50 && !html.includes("An edited reply"); attempt++) {
      await delay(100);
      html = await page();
    }
    assert.match(html, /An edited reply/);
  });
});
