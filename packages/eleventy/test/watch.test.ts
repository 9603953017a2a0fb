import assert from "node:assert/strict";
import { access, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Eleventy } from "@11ty/eleventy";
import type { Manifest } from "@static-pingback/core";
import { sendPingbacks } from "@static-pingback/core/send";
import staticPingback from "../src/index.ts";
import { FILES, post } from "./fixture.ts";
import { build, buildInChild, captureLog, createProject } from "./helpers.ts";

const ALL_PAGES = [
  "https://blog.example/",
  "https://blog.example/404.html",
  "https://blog.example/posts/first/",
  "https://blog.example/posts/second/",
];

describe("Eleventy plugin: incremental and watch runs", () => {
  it("a --serve run writes its manifest apart (watch/), no outbox unless writeOutboxWhenWatching", async () => {
    const project = await createProject(FILES);
    try {
      await captureLog(() => build(project, {}, { runMode: "serve" }));
      assert.deepEqual(
        Object.keys((await project.readJson<Manifest>(".pingback/watch/manifest.json")).pages),
        ALL_PAGES,
      );
      await assert.rejects(access(join(project.stateDir, "manifest.json")));
      await assert.rejects(access(join(project.stateDir, "watch/outbox.json")));
      await captureLog(() =>
        build(project, { writeOutboxWhenWatching: true }, { runMode: "serve" }),
      );
      await access(join(project.stateDir, "watch/outbox.json"));
      await assert.rejects(access(join(project.stateDir, "outbox.json")));
    } finally {
      await project.remove();
    }
  });

  it("a draft rendered only in --serve never reaches what send plans", async () => {
    const project = await createProject(FILES);
    try {
      await captureLog(() => build(project, {}));
      // As eleventy-base-blog does: drafts are rendered in serve runs only.
      await project.write({
        "posts/draft.md": post("Draft", "Unpublished, about [Zed](https://zed.example/z)."),
      });
      await captureLog(() => build(project, {}, { runMode: "serve" }));
      const report = await sendPingbacks({ dir: project.stateDir, dryRun: true });
      const planned = [...report.plan.send, ...report.plan.baseline];
      assert.ok(planned.length > 0, "the published posts are planned");
      assert.deepEqual(
        planned.filter((pair) => pair.source.includes("/posts/draft/")),
        [],
        "no pair from the draft",
      );
    } finally {
      await project.remove();
    }
  });

  // Eleventy 3.1.7's own --incremental=<file> fails on a first build ("templateRender has
  // not yet initialized", with or without this plugin), so a fresh incremental process is
  // tested with --incremental alone: pages it does not render keep their old entry.
  it("a fresh incremental process keeps the pages of the previous manifest and writes no outbox", async () => {
    const project = await createProject(FILES);
    try {
      await captureLog(() => build(project, {}));
      const outboxBefore = await project.read(".pingback/outbox.json");
      const outboxTime = (await stat(join(project.stateDir, "outbox.json"))).mtimeMs;
      // A page this build will not render (as if unchanged since the previous build).
      const previous = await project.readJson<Manifest>(".pingback/manifest.json");
      previous.pages["https://blog.example/old/"] = {
        pingback: true,
        links: ["https://old.example/"],
      };
      await writeFile(join(project.stateDir, "manifest.json"), JSON.stringify(previous));
      await project.write({
        "posts/second.md": post("Second", "Now [Dave](https://dave.example/) only."),
      });

      await buildInChild(project, {}, { incremental: true });

      const manifest = await project.readJson<Manifest>(".pingback/manifest.json");
      assert.deepEqual(
        Object.keys(manifest.pages),
        [...ALL_PAGES, "https://blog.example/old/"].sort(),
      );
      assert.deepEqual(manifest.pages["https://blog.example/old/"]?.links, [
        "https://old.example/",
      ]);
      assert.deepEqual(manifest.pages["https://blog.example/posts/second/"]?.links, [
        "https://dave.example/",
      ]);
      assert.equal(await project.read(".pingback/outbox.json"), outboxBefore);
      assert.equal((await stat(join(project.stateDir, "outbox.json"))).mtimeMs, outboxTime);
    } finally {
      await project.remove();
    }
  });

  it("in --watch --incremental, rebuilds keep the manifest whole; the outbox only when asked", async () => {
    const project = await createProject(FILES);
    const eleventy = new Eleventy(project.input, project.output, {
      quietMode: true,
      runMode: "watch",
      config(eleventyConfig) {
        eleventyConfig.addPlugin(staticPingback, {
          site: "https://blog.example",
          endpoint: "https://blog.example/xmlrpc",
          stateDir: project.stateDir,
        });
      },
    });
    try {
      await captureLog(async () => {
        await eleventy.init();
        eleventy.setIncrementalBuild(true);
        await eleventy.watch();
      });
      const first = await project.readJson<Manifest>(".pingback/watch/manifest.json");
      assert.deepEqual(Object.keys(first.pages), ALL_PAGES);

      await captureLog(async () => {
        await project.write({
          "posts/first.md": post("First", "Only [Erin](https://erin.example/) now."),
        });
        // Wait for the watcher's rebuild to write the new manifest (bounded). A watcher
        // still finishing its initial scan can miss the first write: write again now and then.
        for (let i = 0; i < 150; i++) {
          if (i > 0 && i % 25 === 0) {
            await project.write({
              "posts/first.md": post("First", "Only [Erin](https://erin.example/) now."),
            });
          }
          const manifest = await project.readJson<Manifest>(".pingback/watch/manifest.json");
          if (
            manifest.pages["https://blog.example/posts/first/"]?.links[0] ===
            "https://erin.example/"
          )
            break;
          await sleep(100);
        }
      });
      const second = await project.readJson<Manifest>(".pingback/watch/manifest.json");
      assert.deepEqual(Object.keys(second.pages), ALL_PAGES);
      assert.deepEqual(second.pages["https://blog.example/posts/first/"]?.links, [
        "https://erin.example/",
      ]);
      assert.deepEqual(second.pages["https://blog.example/posts/second/"]?.links, [
        "http://carol.example/c/",
      ]);
      await assert.rejects(
        access(join(project.stateDir, "watch/outbox.json")),
        "no outbox in watch mode",
      );
    } finally {
      await eleventy.stopWatch();
      await project.remove();
    }
  });
});
