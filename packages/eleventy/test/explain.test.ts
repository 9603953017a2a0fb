import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type BuildRecord, explainBuild } from "@static-pingback/core/explain";
import { FILES, post } from "./fixture.ts";
import { build, createProject, type Project } from "./helpers.ts";

// A real build writes build-record.json; explain then tells, per link, what the build did.
describe("Eleventy plugin: build record for explain", () => {
  let project: Project;
  before(async () => {
    project = await createProject({
      ...FILES,
      "posts/third.md": post(
        "Third",
        "See [Dana](https://dana.example/d), [my tracker](https://t.example/x), [the first post](/posts/first/) and <span data-no-pingback>[an ad](https://ad.example/)</span>.",
      ),
    });
    await build(project, { excludeLinks: ["https://t.example/**"], workerThread: true });
  });
  after(() => project.remove());

  it("records the output directory and the link options beside the manifest", async () => {
    const record = await project.readJson<BuildRecord>(".pingback/build-record.json");
    assert.equal(record.outputDir, join("..", "_site"));
    assert.deepEqual(record.excludeLinks, [{ glob: "https://t.example/**" }]);
    assert.equal(record.site, "https://blog.example/");
  });

  it("explain gives each link of a built post its reason, in agreement with the manifest", async () => {
    const explanation = await explainBuild({ stateDir: project.stateDir, page: "/posts/third/" });
    const [page] = explanation.pages;
    assert.ok(page);
    assert.equal(page.file, join(project.output, "posts/third/index.html"));
    assert.deepEqual(page.notes, []);
    const reasons = new Map(page.links?.map((link) => [link.target ?? link.href, link.reason]));
    assert.equal(reasons.get("https://dana.example/d"), "in-manifest");
    assert.equal(reasons.get("https://t.example/x"), "excluded-by");
    assert.equal(reasons.get("https://blog.example/posts/first/"), "same-site");
    assert.equal(reasons.get("https://ad.example/"), "data-no-pingback");
    assert.equal(reasons.get("https://github.com/me"), "outside-content");
    // The first build: every pair is recorded as baseline by the first send.
    assert.deepEqual(
      page.pairs.map((pair) => [pair.target, pair.step.why]),
      [["https://dana.example/d", "baseline"]],
    );
  });

  it("a watch run leaves the record of the last full build alone", async () => {
    const before = await project.read(".pingback/build-record.json");
    await build(project, { excludeLinks: ["https://other.example/**"] }, { runMode: "watch" });
    assert.equal(await project.read(".pingback/build-record.json"), before);
  });
});
