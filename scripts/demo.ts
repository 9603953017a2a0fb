/**
 * `npm run demo`: the build step on a small generated site, twice. The first build
 * writes the manifest (every page's outbound links) and an outbox of new pairs; the
 * second edits one post and shows exactly the pairs that changed.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  finishBuild,
  formatBuildSummary,
  processPage,
  resolveOptions,
} from "@static-pingback/core";
import { corpusPage } from "../test/support/blog-corpus.ts";

const stateDir = await mkdtemp(join(tmpdir(), "static-pingback-demo-"));
const options = resolveOptions(
  { site: "https://blog.example", endpoint: "https://blog.example/xmlrpc", stateDir },
  "demo",
);

async function build(label: string, edit?: (html: string) => string): Promise<void> {
  const pages = [0, 1, 2].map((index) => corpusPage(index));
  const results = pages.map((page, index) => {
    const html = index === 1 && edit ? edit(page.html) : page.html;
    return { url: page.url, ...processPage(html, page.url, options) };
  });
  const done = await finishBuild({ pages: results, options });
  console.log(`\n${label}: ${formatBuildSummary(done)}`);
  const sample = results[0];
  if (sample && !edit) {
    const element = sample.html.match(/<link rel="pingback"[^>]*>/)?.[0];
    console.log(`  injected into ${sample.url}: ${element}`);
    console.log(`  its first outbound links: ${sample.links.slice(0, 3).join(", ")}, …`);
  }
  for (const pair of done.outbox.added.slice(0, edit ? 10 : 3)) {
    console.log(`  + ${pair.source} -> ${pair.target}`);
  }
  if (!edit && done.outbox.added.length > 3)
    console.log(`  + … ${done.outbox.added.length - 3} more`);
  for (const pair of done.outbox.removed) console.log(`  - ${pair.source} -> ${pair.target}`);
}

try {
  await build("first build");
  await build("second build, one post edited", (html) =>
    html.replace(
      '<div class="e-content">',
      '<div class="e-content"><p>New: <a href="https://alice.example/reply">a reply to Alice</a>.</p>',
    ),
  );
  console.log(
    `\nstate directory: ${stateDir} (manifest.json, outbox.json); removed after the demo`,
  );
} finally {
  await rm(stateDir, { recursive: true, force: true });
}
