/**
 * What each small speed shortcut of the build path saves, per 2,000 pages of the
 * generated blog corpus (~12 KB pages, about 8 external links a paragraph, 200 a
 * page): the shortcut against the plain code it stands in for, same inputs, same
 * process, median of the runs. Compare
 * the savings with the plugin's overhead on the Eleventy build (`bench/eleventy.ts`:
 * "on" minus "off" wall): a shortcut that saves under 2% of it is not worth its code.
 * Prints numbers; asserts nothing.
 *   node bench/shortcuts.ts [--pages 2000] [--runs 7]
 */
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { formatJson } from "../packages/core/src/files/json-file.ts";
import { assembleBuild } from "../packages/core/src/manifest/assemble-build.ts";
import { buildManifest } from "../packages/core/src/manifest/build-manifest.ts";
import { diffManifests } from "../packages/core/src/manifest/diff-manifests.ts";
import { preparePage } from "../packages/core/src/manifest/prepared-page.ts";
import { pagesFromBytes } from "../packages/core/src/manifest/previous-manifest.ts";
import { sortByCodeUnits } from "../packages/core/src/manifest/sort-strings.ts";
import { resolveOptions } from "../packages/core/src/options/resolve-options.ts";
import { linkVerdict } from "../packages/core/src/page/link-verdict.ts";
import { processPage } from "../packages/core/src/page/process-page.ts";
import { type LinkFilter, resolveTarget } from "../packages/core/src/page/resolve-target.ts";
import { blogCorpus } from "../test/support/blog-corpus.ts";
import { median, printTable } from "./support/report.ts";

const { values } = parseArgs({
  options: { pages: { type: "string", default: "2000" }, runs: { type: "string", default: "7" } },
});
const pageCount = Number(values.pages);
const runs = Number(values.runs);
const options = resolveOptions(
  { site: "https://blog.example", receiver: "https://m.example/" },
  "b",
);
const pages = [...blogCorpus(pageCount)];

// The inputs each shortcut sees in a build: every href of the pages, every page's links.
const hrefs = pages.flatMap((page) =>
  [...page.html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((match) => ({
    href: (match[1] as string).replaceAll("&amp;", "&"),
    url: new URL(page.url),
  })),
);
const results = pages.map((page) => {
  const { pingback, links, contentHash } = processPage(page.html, page.url, options);
  return { url: page.url, pingback, links, ...(contentHash ? { contentHash } : {}) };
});
const linkLists = results.map((result) => result.links);
const previous = buildManifest(
  results.map(({ url, pingback, links }) => ({ url, pingback, links: links.slice(1) })),
  options,
);
const filterFor = (pageUrl: URL): LinkFilter => ({
  pageUrl,
  base: pageUrl,
  site: options.site,
  includeSameSite: false,
  excludeLinks: [],
});

function time(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

let sink = 0;
const pairs: Array<[string, () => void, () => void]> = [
  [
    "normal-form-url (resolveTarget past the URL parser)",
    () => {
      for (const { href, url } of hrefs) sink += resolveTarget(href, filterFor(url))?.length ?? 0;
    },
    () => {
      for (const { href, url } of hrefs) {
        const verdict = linkVerdict(href, filterFor(url));
        sink += verdict.kind === "target" ? verdict.target.length : 0;
      }
    },
  ],
  [
    "sort-strings (keyed sort of each page's links)",
    () => {
      for (const links of linkLists) sink += sortByCodeUnits(links).length;
    },
    () => {
      for (const links of linkLists) sink += [...links].sort().length;
    },
  ],
  [
    "assemble-build (entries prepared page by page)",
    () => {
      // As a build reads it: the previous manifest's file, indexed by page.
      const pages = pagesFromBytes(Buffer.from(formatJson(previous)), "manifest.json");
      const prepared = results.map((page) => preparePage(page, pages));
      sink += assembleBuild(prepared, pages, options).counts.links;
    },
    () => {
      const manifest = buildManifest(results, options);
      sink += formatJson(manifest).length + diffManifests(previous, manifest).added.length;
    },
  ],
];

const rows: string[][] = [];
for (const [name, shortcut, plain] of pairs) {
  shortcut();
  plain();
  const withMs = median(Array.from({ length: runs }, () => time(shortcut)));
  const withoutMs = median(Array.from({ length: runs }, () => time(plain)));
  const per2000 = (ms: number) => (ms * 2000) / pageCount;
  rows.push([
    name,
    per2000(withMs).toFixed(1),
    per2000(withoutMs).toFixed(1),
    per2000(withoutMs - withMs).toFixed(1),
  ]);
}

// Loading the reference parser only when a page needs it: what loading it costs a build.
const script = `const t = performance.now(); await import(${JSON.stringify(new URL("../packages/core/src/page/reference/process-page-reference.ts", import.meta.url).href)}); console.log(performance.now() - t);`;
const loadMs = median(
  Array.from({ length: runs }, () =>
    Number(execFileSync(process.execPath, ["--input-type=module", "-e", script]).toString().trim()),
  ),
);
rows.push([
  "load-reference (the full parser loaded on first use)",
  "0.0",
  loadMs.toFixed(1),
  loadMs.toFixed(1),
]);

console.log(
  `shortcuts: ${pageCount} pages of the corpus, ${hrefs.length} hrefs, ${runs} runs (median), ms per 2,000 pages (checksum ${sink % 10})`,
);
printTable(["shortcut", "with", "without", "saves"], rows);
