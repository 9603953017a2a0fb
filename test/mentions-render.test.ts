import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium } from "playwright-core";
import { freePort, type StaticServer, serveStatic } from "../scripts/demo/static-server.ts";
import { lockExampleBuilds } from "./support/example-build-lock.ts";

/**
 * A post of each example blog with a reply, two likes, a repost and a pingback, as the
 * reader's browser shows it: both blogs built by their own CLIs against a JF2 feed on
 * loopback, opened in headless Chromium. Screenshots (without and with the optional
 * default stylesheet) go to $SP_SCREENSHOT_DIR, else a temporary directory that the
 * test prints, to be checked by eye in review; the structure is checked here.
 */
const CHROMIUM = "/usr/bin/chromium";
const run = promisify(execFile);
const repo = fileURLToPath(new URL("..", import.meta.url));
const STYLESHEET = join(repo, "packages/core/src/received/pingbacks.css");

const HOSTILE = '<img src=x onerror="document.title=1">Cy';

function feedFor(target: string) {
  const at = (day: number) => `2026-11-${String(day).padStart(2, "0")}T10:00:00Z`;
  const base = (property: string, source: string, day: number) => ({
    type: "entry",
    "wm-source": source,
    "wm-target": target,
    "wm-property": property,
    "wm-protocol": "webmention",
    "wm-received": at(day),
    [property]: target,
    url: source,
  });
  return {
    type: "feed",
    children: [
      {
        ...base("in-reply-to", "https://ann.example/notes/42", 20),
        author: { type: "card", name: "Ann Example", url: "https://ann.example/", photo: "" },
        published: at(20),
        content: { text: "Good write-up. The part about baselines saved me an afternoon." },
        lang: "en",
      },
      {
        ...base("like-of", "https://bo.example/likes/7", 21),
        author: { type: "card", name: "Bo" },
      },
      {
        ...base("like-of", "https://cy.example/likes/8", 22),
        author: { type: "card", name: HOSTILE },
      },
      {
        ...base("repost-of", "https://di.example/reposts/3", 23),
        author: { type: "card", name: "Di" },
      },
      {
        ...base("mention-of", "https://ed.example/2026/11/static-linkbacks/", 24),
        "wm-protocol": "pingback",
        name: "Linkbacks for static sites",
        author: { type: "card", name: "Ed", url: "https://ed.example/" },
        published: at(24),
      },
    ],
  };
}

interface Blog {
  name: "eleventy" | "astro";
  post: string;
  server?: StaticServer;
}

describe("received mentions in each example blog, in a browser", { timeout: 600_000 }, () => {
  let workDir: string;
  let shotDir: string;
  let feedServer: ReturnType<typeof createServer>;
  const blogs: Blog[] = [];

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), "sp-mentions-"));
    shotDir = process.env.SP_SCREENSHOT_DIR ?? join(workDir, "screenshots");
    await mkdir(shotDir, { recursive: true });
    const feeds = new Map<string, unknown>();
    feedServer = createServer((req, res) => {
      const feed = feeds.get(new URL(req.url ?? "/", "http://x").pathname);
      res.writeHead(feed ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(feed ?? { error: "none" }));
    });
    await new Promise<void>((resolve) => feedServer.listen(0, "127.0.0.1", resolve));
    const feedOrigin = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;

    const unlock = await lockExampleBuilds();
    try {
      await buildBlogs(feeds, feedOrigin);
    } finally {
      await unlock();
    }
  });

  /** Both example blogs built in place, each into its own output directory and served. */
  async function buildBlogs(feeds: Map<string, unknown>, feedOrigin: string): Promise<void> {
    for (const name of ["eleventy", "astro"] as const) {
      const port = await freePort();
      const site = `http://127.0.0.1:${port}/`;
      const post = `${site}posts/${name === "eleventy" ? "hello-astro" : "hello-eleventy"}/`;
      feeds.set(`/${name}.jf2`, feedFor(post));
      const out = join(workDir, name, "out");
      const dir = join(repo, "examples", name === "eleventy" ? "eleventy-blog" : "astro-blog");
      const env = {
        ...process.env,
        FORCE_COLOR: "0",
        ASTRO_TELEMETRY_DISABLED: "1",
        PINGBACK_SITE: site,
        PINGBACK_RECEIVER: `${feedOrigin}/`,
        PINGBACK_RECEIVED: `${feedOrigin}/${name}.jf2`,
        PINGBACK_STATE_DIR: join(workDir, name, ".pingback"),
        PINGBACK_LOCAL_LINKS_ONLY: "1",
        PEER_BLOG_URL: "http://127.0.0.1:9/",
      };
      const args =
        name === "eleventy"
          ? [join(dir, "node_modules/@11ty/eleventy/cmd.cjs"), `--output=${out}`]
          : [
              join(dir, "node_modules/astro/bin/astro.mjs"),
              "build",
              "--outDir",
              out,
              "--site",
              site,
            ];
      await run(process.execPath, args, { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 });
      blogs.push({ name, post, server: await serveStatic(out, port) });
    }
  }

  after(async () => {
    await Promise.all(blogs.map((blog) => blog.server?.close()));
    await new Promise((resolve) => feedServer?.close(resolve));
    if (!process.env.SP_SCREENSHOT_DIR) await rm(workDir, { recursive: true, force: true });
  });

  it("groups them, marks them up as h-cite, escapes hostile fields, runs no script", async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    try {
      for (const blog of blogs) {
        const page = await browser.newPage({ viewport: { width: 900, height: 1400 } });
        const requests: string[] = [];
        page.on("request", (request) => requests.push(request.url()));
        await page.goto(blog.post);
        const section = page.locator("section.pingbacks");
        assert.equal(await section.count(), 1, blog.name);
        assert.equal(await section.locator(".h-cite").count(), 5, blog.name);
        assert.equal(await section.locator(".pingbacks__reply").count(), 1);
        assert.equal(
          (
            await section.locator(".pingbacks__group--likes .pingbacks__people").textContent()
          )?.trim(),
          `Bo and ${HOSTILE}`,
        );
        assert.match(
          (await section.locator(".pingbacks__group--likes .pingbacks__count").textContent()) ?? "",
          /^\(2\)$/,
        );
        assert.equal(await section.locator(".pingbacks__group--reposts .h-cite").count(), 1);
        assert.match(
          (await section.locator(".pingbacks__group--mentions .pingbacks__item").textContent()) ??
            "",
          /^Linkbacks for static sites, by Ed on November 24, 2026$/,
        );
        assert.match(
          (await section.locator(".pingbacks__reply").textContent()) ?? "",
          /Ann Example replied on November 20, 2026\s*Good write-up\./,
        );
        // The hostile name is text: no element, no script ran, nothing fetched from others.
        assert.equal(await section.locator("img, script").count(), 0);
        assert.notEqual(await page.title(), "1");
        assert.deepEqual(
          requests.filter((url) => !url.startsWith("http://127.0.0.1:")),
          [],
          blog.name,
        );
        await section.scrollIntoViewIfNeeded();
        await section.screenshot({ path: join(shotDir, `${blog.name}-mentions.png`) });
        await page.addStyleTag({ path: STYLESHEET });
        await section.screenshot({ path: join(shotDir, `${blog.name}-mentions-styled.png`) });
        await page.close();
      }
    } finally {
      await browser.close();
    }
    console.log(`screenshots: ${shotDir}`);
  });
});
