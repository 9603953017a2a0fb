/**
 * Core throughput on a generated 2,000-page blog corpus (~12 KB pages): the fast
 * path (processPage), the reference full parse (processPageReference), beside a bare
 * parse5 parse and a bare file read of the same corpus. Prints numbers; asserts nothing.
 *   node bench/core.ts [--pages 2000] [--runs 5]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  fastPathDeclineReason,
  processPage,
  processPageReference,
  resolveOptions,
} from "@static-pingback/core";
import { parse } from "parse5";
import { blogCorpus } from "../test/support/blog-corpus.ts";
import { median, printTable } from "./support/report.ts";

const { values } = parseArgs({
  options: { pages: { type: "string", default: "2000" }, runs: { type: "string", default: "5" } },
});
const pageCount = Number(values.pages);
const runs = Number(values.runs);

const options = resolveOptions(
  { site: "https://blog.example", endpoint: "https://blog.example/xmlrpc" },
  "bench",
);
const pages = [...blogCorpus(pageCount)];
const bytes = pages.reduce((sum, page) => sum + Buffer.byteLength(page.html), 0);
const dir = mkdtempSync(join(tmpdir(), "sp-bench-core-"));
const files = pages.map((page, index) => {
  const file = join(dir, `${index}.html`);
  writeFileSync(file, page.html);
  return file;
});

const fastShare = pages.filter(
  (page) => fastPathDeclineReason(page.html, options) === undefined,
).length;

function time(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const subjects: Record<string, () => void> = {
  "file read": () => {
    for (const file of files) readFileSync(file, "utf8");
  },
  "parse5 parse": () => {
    for (const page of pages) parse(page.html);
  },
  "reference (rehype-parse)": () => {
    for (const page of pages) processPageReference(page.html, page.url, options);
  },
  "processPage (fast path)": () => {
    for (const page of pages) processPage(page.html, page.url, options);
  },
};

const results = new Map<string, number>();
for (const [name, run] of Object.entries(subjects)) {
  run(); // warm-up
  results.set(name, median(Array.from({ length: runs }, () => time(run))));
}
rmSync(dir, { recursive: true, force: true });

// What an adapter pays once per process to load core: time to import each entry point in a
// fresh Node process, less a bare start, median of the runs.
function importMs(specifier: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t);`;
  const times = Array.from({ length: runs }, () => {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: new URL(".", import.meta.url),
    });
    return Number(out.toString().trim());
  });
  return median(times);
}
const imports = [
  "@static-pingback/core",
  "@static-pingback/core/received",
  "@static-pingback/core/send",
].map((specifier) => [specifier, importMs(specifier)] as const);

const fast = results.get("processPage (fast path)") as number;
console.log(
  `core: ${pageCount} pages, ${(bytes / pageCount / 1024).toFixed(1)} KB/page, ${runs} runs (median); fast path taken by ${fastShare}/${pageCount} pages`,
);
printTable(
  ["subject", "ms/page", "MB/s", "× processPage"],
  [...results].map(([name, ms]) => [
    name,
    (ms / pageCount).toFixed(4),
    (bytes / 1e6 / (ms / 1000)).toFixed(1),
    (ms / fast).toFixed(2),
  ]),
);
console.log("\nimport cost, fresh process (median ms):");
for (const [specifier, ms] of imports) console.log(`  ${specifier.padEnd(32)} ${ms.toFixed(1)}`);
