import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium } from "playwright-core";
import { builtFile, demoEnding } from "../scripts/demo/ending.ts";
import { type Loop, startLoop } from "../scripts/demo/loop.ts";
import { lockExampleBuilds } from "./support/example-build-lock.ts";

/**
 * The whole loop, as `pnpm demo` runs it, on 127.0.0.1 only: both example blogs built
 * by their own CLIs, served, a receiver per site, `static-pingback send`, rebuilds,
 * and the citations checked in the HTML and in a real browser.
 */
const CHROMIUM = "/usr/bin/chromium";

describe("end to end: build, send, receive, render", { timeout: 600_000 }, () => {
  let workDir: string;
  let loop: Loop;

  let unlock: (() => Promise<void>) | undefined;

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), "sp-e2e-"));
    // The loop builds the examples in place, at the start and again later on.
    unlock = await lockExampleBuilds();
    loop = await startLoop({ workDir });
  });

  after(async () => {
    await loop?.close();
    await unlock?.();
    await rm(workDir, { recursive: true, force: true });
  });

  it("the built posts advertise their own receiver: the Astro blog both protocols, the Eleventy blog Pingback", async () => {
    const astroPost = await readFile(
      join(loop.dirs.astroOut, "posts/hello-eleventy/index.html"),
      "utf8",
    );
    assert.ok(
      astroPost.includes(
        `<link rel="pingback" href="${loop.urls.astroReceiver}xmlrpc"><link rel="webmention" href="${loop.urls.astroReceiver}webmention">`,
      ),
    );
    const eleventyPost = await readFile(
      join(loop.dirs.eleventyOut, "posts/hello-astro/index.html"),
      "utf8",
    );
    assert.ok(
      eleventyPost.includes(`<link rel="pingback" href="${loop.urls.eleventyReceiver}xmlrpc">`),
    );
    assert.doesNotMatch(eleventyPost, /rel="webmention"/);
  });

  it("sends each blog's link to the other, and the receivers accept them", async () => {
    const fromEleventy = await loop.send("eleventy");
    assert.equal(fromEleventy.settled.sent, 2, JSON.stringify(fromEleventy.raw));
    // One protocol of each kind: Webmention to the Astro blog, Pingback to the Eleventy one.
    assert.deepEqual(
      fromEleventy.outcomes.map((outcome) => outcome.protocol),
      ["webmention", "webmention"],
    );
    const fromAstro = await loop.send("astro");
    assert.equal(fromAstro.settled.sent, 2, JSON.stringify(fromAstro.raw));
    assert.deepEqual(
      fromAstro.outcomes.map((outcome) => outcome.protocol),
      ["pingback", "pingback"],
    );
    const state = JSON.parse(await readFile(join(loop.dirs.eleventyState, "state.json"), "utf8"));
    const pair = state.pairs.find((p: { target: string }) => p.target === loop.posts.astro);
    assert.equal(pair?.status, "sent");
    assert.equal(pair?.protocol, "webmention");
    assert.equal(pair?.endpoint, `${loop.urls.astroReceiver}webmention`);
    assert.match(pair?.statusUrl ?? "", /\/webmention\/status\//);
    const status = (await (await fetch(pair.statusUrl)).json()) as { status: string };
    assert.equal(status.status, "accepted", JSON.stringify(status));
  });

  it("a second send has nothing new to send", async () => {
    assert.equal((await loop.send("eleventy")).sent, 0);
    assert.equal((await loop.send("astro")).sent, 0);
  });

  it("the receivers export what they got as JF2, each with its protocol", async () => {
    const exported = async (receiver: string, target: string) => {
      const response = await fetch(`${receiver}pingbacks.jf2`);
      const feed = (await response.json()) as { children: Array<Record<string, string>> };
      return feed.children.find((e: Record<string, string>) => e["wm-target"] === target);
    };
    const atAstro = await exported(loop.urls.astroReceiver, loop.posts.astro);
    assert.equal(atAstro?.["wm-source"], loop.posts.eleventy);
    assert.equal(atAstro?.["wm-protocol"], "webmention");
    assert.equal(atAstro?.name, "Hello, Astro blog");
    const atEleventy = await exported(loop.urls.eleventyReceiver, loop.posts.eleventy);
    assert.equal(atEleventy?.["wm-source"], loop.posts.astro);
    assert.equal(atEleventy?.["wm-protocol"], "pingback");
  });

  it("rebuilt posts render the citations: <Pingbacks /> and {% pingbacks %}", async () => {
    await loop.build("astro");
    await loop.build("eleventy");
    const astroPost = await readFile(
      join(loop.dirs.astroOut, "posts/hello-eleventy/index.html"),
      "utf8",
    );
    assert.match(astroPost, /<li class="pingbacks__item h-cite"[^>]*>.*Hello, Astro blog/s);
    assert.ok(astroPost.includes(`href="${loop.posts.eleventy}"`));
    const eleventyPost = await readFile(
      join(loop.dirs.eleventyOut, "posts/hello-astro/index.html"),
      "utf8",
    );
    assert.match(eleventyPost, /<li class="pingbacks__item h-cite"[^>]*>.*Hello from Astro/s);
    assert.ok(eleventyPost.includes(`href="${loop.posts.astro}"`));
  });

  it("the demo ends with URLs that answer while serving, and with built files under --once", async () => {
    const serving = demoEnding(loop, false);
    const urls = serving.lines.flatMap((line) => line.match(/https?:\/\/\S+/g) ?? []);
    assert.equal(urls.length, 3, serving.lines.join("\n"));
    for (const url of urls) assert.equal((await fetch(url)).status, 200, url);

    const once = demoEnding(loop, true, workDir);
    assert.match(once.heading, /stopped/);
    const text = once.lines.join("\n");
    assert.doesNotMatch(text, /https?:\/\//, "no address of a stopped server");
    for (const [out, post] of [
      [loop.dirs.astroOut, loop.posts.astro],
      [loop.dirs.eleventyOut, loop.posts.eleventy],
    ] as const) {
      const file = builtFile(out, post);
      assert.ok(text.includes(relative(workDir, file)), `${file} is named`);
      assert.match(await readFile(file, "utf8"), /class="pingbacks__item h-cite"/);
    }
  });

  const haveBrowser = existsSync(CHROMIUM);
  it("a real browser shows the citation on the Astro post, linking to the Eleventy post", {
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
      const page = await browser.newPage();
      for (const [post, title, source] of [
        [loop.posts.astro, "Hello, Astro blog", loop.posts.eleventy],
        [loop.posts.eleventy, "Hello from Astro", loop.posts.astro],
      ] as const) {
        await page.goto(post);
        const citation = page.locator(".pingbacks .h-cite a.pingbacks__title").first();
        await citation.waitFor({ state: "visible", timeout: 10_000 });
        assert.equal((await citation.textContent())?.trim(), title);
        assert.equal(await citation.getAttribute("href"), source);
        assert.ok(await page.locator(".pingbacks__heading").isVisible());
      }
    } finally {
      await browser.close();
    }
  });
});
