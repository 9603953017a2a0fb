import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium } from "playwright-core";
import {
  createReceiver,
  type RunningServer,
  SqlitePingbackStore,
  startNodeServer,
} from "../packages/receiver/src/index.ts";

/**
 * The moderation page as its owner uses it, in Debian's Chromium: sign in, see a
 * hostile title as text, approve, find the mention in the export, sign out.
 * Screenshots of the list are kept in test-artifacts/ for review.
 */
const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = new URL("../test-artifacts/", import.meta.url).pathname;
const TOKEN = "a long enough admin token for the browser test";
const SITE = "https://site.example/";
const TARGET = `${SITE}posts/hello/`;
const HOSTILE = `<script>document.title="owned"</script>Nice post`;

describe("the moderation page in a real browser", { timeout: 120_000 }, () => {
  let dir: string;
  let store: SqlitePingbackStore;
  let server: RunningServer;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sp-admin-browser-"));
    const manifest = join(dir, "manifest.json");
    await writeFile(
      manifest,
      JSON.stringify({
        version: 1,
        site: SITE,
        endpoint: `${SITE}xmlrpc`,
        generatedAt: "2026-01-01T00:00:00.000Z",
        pages: { [TARGET]: { pingback: true, links: [] } },
      }),
    );
    store = new SqlitePingbackStore(join(dir, "received.db"), { durability: "normal" });
    for (const [k, title] of [HOSTILE, "A kind reply", "Another post"].entries()) {
      await store.insert({
        source: `https://blog${k}.example/post`,
        target: TARGET,
        status: "pending",
        verification: "verified",
        clientIp: "127.0.0.1",
        post: {
          title,
          authorName: k === 0 ? "<b>Mallory</b>" : `Author ${k}`,
          authorUrl: `https://blog${k}.example/`,
          published: null,
          lang: "en",
          excerpt: k === 0 ? `<img src=x onerror="document.title='owned'">` : "A few words.",
        },
      });
    }
    const receiver = createReceiver({ site: SITE, manifest, store, admin: { token: TOKEN } });
    server = await startNodeServer(receiver, { port: 0 });
    await mkdir(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await server?.close();
    store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const haveBrowser = existsSync(CHROMIUM);
  it("signs in, shows hostile text as text, approves, exports, signs out", {
    skip:
      !haveBrowser && !process.env.CI
        ? `no ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`
        : false,
  }, async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(`${server.origin}/admin/`);
      await page.fill('input[name="token"]', TOKEN);
      await page.click('button[type="submit"]');
      await page.waitForSelector("table");

      // The hostile title and excerpt are text: no script ran, no element was made.
      const title = page.locator("td.what a", { hasText: "Nice post" });
      assert.equal(await title.textContent(), HOSTILE);
      assert.equal(await page.locator("td.what img").count(), 0);
      assert.equal(await page.locator("td.what b").count(), 0);
      assert.notEqual(await page.title(), "owned");
      assert.equal(await title.getAttribute("rel"), "nofollow ugc noopener noreferrer");
      await page.screenshot({ path: join(ARTIFACTS, "admin-pending.png"), fullPage: true });

      const row = page.locator("tr", { has: title });
      await row.locator('input[type="checkbox"]').check();
      await page.click('button[name="action"][value="approve"]');
      await page.waitForSelector(".notice");
      assert.match((await page.textContent(".notice")) ?? "", /1 mention approved/);
      assert.equal(await page.locator("td.what a", { hasText: "Nice post" }).count(), 0);
      await page.click('nav.tabs a:text("approved")');
      await page.waitForSelector("td.what");
      await page.screenshot({ path: join(ARTIFACTS, "admin-approved.png"), fullPage: true });

      const exported = (await (await fetch(`${server.origin}/pingbacks.jf2`)).json()) as {
        children: Array<Record<string, string>>;
      };
      assert.deepEqual(
        exported.children.map((entry) => entry["wm-source"]),
        ["https://blog0.example/post"],
      );

      await page.click('button:text("Sign out")');
      await page.waitForSelector('input[name="token"]');
      const cookies = await page.context().cookies();
      assert.ok(!cookies.some((cookie) => cookie.name === "sp-admin" && cookie.value !== ""));
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
});
