/**
 * Eleventy build benchmark: a generated blog (default 2,000 posts of about 12 KB:
 * Markdown + Nunjucks layout, nav/footer chrome, 25 paragraphs with about 8 external
 * links each), built with the static-pingback plugin off and on, alternating (see
 * support/alternate.ts), each build in a fresh Node process. Prints the median wall and
 * CPU time of each, their ratio (goal: <= 1.10x wall, <= 1.25x CPU) and the median of the
 * per-run ratios. Then checks that core's processPage gives
 * the same result as the reference (full rehype parse) on every generated page.
 *
 *   node bench/eleventy.ts [--pages 2000,10000] [--runs 5] [--modes off,cold] [--inline] [--insert]
 *                          [--against <checkout>] [--live-heap] [--links-per-post N] [--head-shortcode]
 *                          [--no-verify] [--keep]
 *
 * Every build after the first is a rebuild of the unchanged site: "on" has the page
 * cache the build before it wrote; "cold" is the plugin on with the page cache removed
 * first (a build with only the previous manifest, as in CI without a cached stateDir);
 * "first" has no state at all (a first build). Each build also reports its peak RSS, the
 * main thread's peak heap in use (sampled) and how long it took from eleventy.after to the
 * end (the plugin's end of build).
 * Runs default to 5 per size, 3 above 5,000 posts.
 * --inline adds one more build: the plugin with its worker thread turned off. --insert adds
 * a build without the plugin but with a bare transform that inserts the same link element
 * by slicing: the floor any plugin that changes each page pays (Eleventy renders every
 * page before its transforms, so each rendered page is old garbage by then). --modes runs
 * only those (always with "off", the baseline). --against <checkout> adds a cold build of another
 * checkout of this repository (built, with a bench/eleventy.ts that takes --child) on the same
 * site, in turn with the others, and prints "cold" against it: an A/B of two versions of the
 * plugin on one machine state, which a comparison of two benchmark runs cannot give here.
 * --links-per-post N writes posts of prose with N external links each, spread over their
 * paragraphs, instead of about 8 a paragraph (190 a post): a site like most blogs, where the
 * default is the plugin's heavy case.
 * --head-shortcode gives the layout the plugin's {% pingbackLinks %} shortcode in its head, so
 * the plugin's transform hands each page back as rendered instead of inserting. The build
 * without the plugin has a shortcode of that name that writes nothing, and "insert" one that
 * writes the link element (no transform): the floor is then a layout that has it.
 * --live-heap adds one untimed build of each mode that collects all garbage at
 * eleventy.after (the child runs with --expose-gc) and prints the main thread's heap there
 * before and after: which part of a mode's heap is garbage and which is held.
 *
 * Uses the built packages (dist/): run `pnpm build` first (`pnpm bench` does).
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { getHeapStatistics } from "node:v8";
import { alternate, pairedRatio } from "./support/alternate.ts";
import {
  intFlag,
  markdownParagraph,
  proseParagraph,
  seededRandom,
  sizesFlag,
} from "./support/markdown-blog.ts";
import { median } from "./support/report.ts";

const SITE = "https://bench.example";
const ENDPOINT = "https://bench.example/xmlrpc";
/** The element the builds without the plugin write ("insert"): the plugin's, in its form. */
const LINK_ELEMENT = `<link rel="pingback" href="${ENDPOINT}">`;
const repo = fileURLToPath(new URL("..", import.meta.url));

interface Timing {
  wallMs: number;
  /** The whole process, worker threads included. */
  cpuMs: number;
  /** The main thread alone: what bounds wall time when a core is free for the worker. */
  mainCpuMs: number;
  /** Peak resident set of the build process (worker threads share it), in MB. */
  peakRssMb: number;
  /** Bytes of outbox.json after the build (0 without the plugin). */
  outboxBytes: number;
  /**
   * The highest heap in use on the main thread, sampled every 100 ms (garbage not yet
   * collected included: it is what makes the heap, and so the RSS, grow), in MB. The
   * timer fires only when the event loop turns, which Eleventy does not let it do while
   * it renders and writes the pages: in practice this is the heap from `eleventy.after`
   * on, when Eleventy holds every written page and its own heap is largest.
   */
  peakMainHeapMb: number;
  /**
   * From `eleventy.after` to the end of the build: the plugin's end of build (settling
   * pages, manifest, outbox, published copy, page cache); about 0 without it.
   */
  endMs: number;
  /**
   * The process's RSS when `eleventy.after` starts, in MB: against the peak, what the
   * plugin's end of build adds on top of what the build already held.
   */
  rssAtAfterMb: number;
  /**
   * With --live-heap only (an extra, untimed build): the main thread's heap in use at
   * `eleventy.after`, before and after a full garbage collection there, in MB. What the
   * collection frees was garbage; what stays is held (by Eleventy or by the plugin).
   */
  heapAtAfterMb?: { inUse: number; live: number };
}

/**
 * The "insert" build's transform: the plugin's link element put before the page's
 * <title> by slicing, and nothing else kept or done.
 */
function insertLinkElement(content: unknown): unknown {
  if (typeof content !== "string") return content;
  const at = content.indexOf("<title>");
  if (at === -1) return content;
  return `${content.slice(0, at)}${LINK_ELEMENT}${content.slice(at)}`;
}

// --- the child: one build, timed in-process (process.cpuUsage covers worker threads too) ---

type Mode = "off" | "on" | "cold" | "first" | "inline" | "insert" | "against";

async function child(dir: string, mode: Mode): Promise<void> {
  // Eleventy is a dependency of packages/eleventy, not of the repository root.
  const require = createRequire(join(repo, "packages/eleventy/package.json"));
  const eleventySrc = dirname(require.resolve("@11ty/eleventy")); // its CommonJS entry
  const { Eleventy } = await import(pathToFileURL(join(eleventySrc, "Eleventy.js")).href);
  const plugin =
    mode !== "off" && mode !== "insert"
      ? (await import(pathToFileURL(join(repo, "packages/eleventy/dist/index.js")).href)).default
      : undefined;
  // Run from the project directory with relative paths, as the CLI is run (Eleventy
  // resolves directory data files relative to the working directory).
  process.chdir(dir);
  // --head-shortcode: a build without the plugin needs a shortcode of that name too.
  const layoutWritesLinks = (await readFile(LAYOUT_FILE, "utf8")).includes("pingbackLinks");
  let afterStart: number | undefined;
  let rssAtAfter = 0;
  let heapAtAfter: Timing["heapAtAfterMb"];
  // Set only in --live-heap builds, whose child runs with --expose-gc.
  const collect = (globalThis as { gc?: () => void }).gc;
  if (mode === "cold") await rm(".pingback/page-cache.json", { force: true });
  // "first": a first build, no state at all (no previous manifest, no page cache).
  const stateDir = mode === "first" ? ".pingback-first" : ".pingback";
  if (mode === "first") await rm(stateDir, { recursive: true, force: true });
  const eleventy = new Eleventy("src", `_site-${mode}`, {
    quietMode: true,
    config(eleventyConfig: {
      addPlugin(plugin: unknown, options: unknown): void;
      addTransform(name: string, transform: (content: unknown) => unknown): void;
      addShortcode(name: string, shortcode: () => string): void;
      on(event: string, listener: () => void): void;
    }) {
      // Eleventy starts every eleventy.after listener at once: this one marks the start.
      eleventyConfig.on("eleventy.after", () => {
        afterStart = performance.now();
        rssAtAfter = process.memoryUsage.rss();
        if (collect) {
          const inUse = getHeapStatistics().used_heap_size;
          collect();
          const live = getHeapStatistics().used_heap_size;
          heapAtAfter = { inUse: inUse / 1024 / 1024, live: live / 1024 / 1024 };
        }
      });
      if (!plugin && layoutWritesLinks) {
        const element = mode === "insert" ? LINK_ELEMENT : "";
        eleventyConfig.addShortcode("pingbackLinks", () => element);
      } else if (mode === "insert") {
        eleventyConfig.addTransform("insert-only", insertLinkElement);
      }
      if (plugin) {
        eleventyConfig.addPlugin(plugin, {
          site: SITE,
          endpoint: ENDPOINT,
          stateDir,
          // "inline": the plugin without its worker thread, everything on the main thread.
          workerThread: mode !== "inline",
        });
      }
    },
  });
  let peakHeap = 0;
  const sampleHeap = () => {
    peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
  };
  const sampler = setInterval(sampleHeap, 100);
  const cpu = process.cpuUsage();
  const mainCpu = process.threadCpuUsage();
  const start = performance.now();
  await eleventy.write();
  const end = performance.now();
  const wallMs = end - start;
  sampleHeap();
  clearInterval(sampler);
  const used = process.cpuUsage(cpu);
  const usedMain = process.threadCpuUsage(mainCpu);
  const outbox = plugin
    ? await stat(join(stateDir, "outbox.json")).catch(() => undefined)
    : undefined;
  const timing: Timing = {
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    mainCpuMs: (usedMain.user + usedMain.system) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    outboxBytes: outbox?.size ?? 0,
    peakMainHeapMb: peakHeap / 1024 / 1024,
    endMs: afterStart === undefined ? 0 : end - afterStart,
    rssAtAfterMb: rssAtAfter / 1024 / 1024,
    ...(heapAtAfter ? { heapAtAfterMb: heapAtAfter } : {}),
  };
  process.stdout.write(`${JSON.stringify(timing)}\n`);
}

// --- the generated site ---

const LAYOUT_FILE = "src/_includes/post.njk";

const LAYOUT = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · Bench Blog</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/atom+xml" href="/feed.xml">
</head>
<body>
<header><a href="/">Bench Blog</a>
<nav><a href="/">Home</a> <a href="/posts/">Archive</a> <a href="/about/">About</a> <a href="https://github.com/bench">GitHub</a> <a href="https://mastodon.example/@bench">Mastodon</a> <a href="https://indieweb.org/">IndieWeb</a></nav>
</header>
<main>
<article class="h-entry">
<h1 class="p-name">{{ title }}</h1>
<time class="dt-published" datetime="{{ date.toISOString() }}">{{ date.toDateString() }}</time>
<div class="e-content">
{{ content | safe }}
</div>
</article>
</main>
<footer><p>Built with <a href="https://www.11ty.dev/">Eleventy</a>, hosted on <a href="https://pages.example/">Pages</a>. <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a></p></footer>
</body>
</html>
`;

/** `count` paragraphs of prose with `links` links among them, each in a paragraph at random. */
function proseParagraphs(next: () => number, count: number, links: number): string[] {
  const perParagraph = new Array<number>(count).fill(0);
  for (let l = 0; l < links; l++) {
    const at = Math.floor(next() * count);
    perParagraph[at] = (perParagraph[at] as number) + 1;
  }
  return perParagraph.map((n) => proseParagraph(next, 61, n));
}

/** Writes the site; answers how many external links its posts hold, per post. */
async function generate(
  dir: string,
  pages: number,
  linksPerPost: number | undefined,
  headShortcode: boolean,
): Promise<number> {
  const next = seededRandom(42);
  await mkdir(join(dir, "src/_includes"), { recursive: true });
  await mkdir(join(dir, "src/posts"), { recursive: true });
  await writeFile(
    join(dir, LAYOUT_FILE),
    headShortcode ? LAYOUT.replace("</title>\n", "</title>\n{% pingbackLinks %}\n") : LAYOUT,
  );
  await writeFile(
    join(dir, "src/posts/posts.json"),
    JSON.stringify({ layout: "post.njk", tags: "posts" }),
  );
  let external = 0;
  for (let i = 0; i < pages; i++) {
    const body = (
      linksPerPost === undefined
        ? Array.from({ length: 25 }, () => markdownParagraph(next, i, 8))
        : proseParagraphs(next, 25, linksPerPost)
    ).join("\n\n");
    external += body.split("](https://").length - 1;
    const date = new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    await writeFile(
      join(dir, `src/posts/post-${i}.md`),
      `---\ntitle: Post number ${i}\ndate: ${date}\n---\n${body}\n`,
    );
  }
  return external / pages;
}

// --- the parent: alternate off/on builds, then verify the fast path ---

/** The other checkout of --against, if given. */
function againstCheckout(): string | undefined {
  const at = process.argv.indexOf("--against");
  return at === -1 ? undefined : resolve(String(process.argv[at + 1]));
}

async function runChild(dir: string, mode: Mode, liveHeap = false): Promise<Timing> {
  // "against": the other checkout's own benchmark builds the site cold, with its plugin.
  const other = mode === "against" ? againstCheckout() : undefined;
  const script = other ? join(other, "bench/eleventy.ts") : fileURLToPath(import.meta.url);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...(liveHeap ? ["--expose-gc"] : []), script, "--child", other ? "cold" : mode, dir],
    { maxBuffer: 1 << 20 },
  );
  const line = stdout.trim().split("\n").pop() as string;
  return JSON.parse(line) as Timing;
}

async function verify(
  dir: string,
  headShortcode: boolean,
): Promise<{ pages: number; mismatches: string[]; declined: Map<string, number> }> {
  const core = await import(pathToFileURL(join(repo, "packages/core/dist/index.js")).href);
  const options = core.resolveOptions({ site: SITE, endpoint: ENDPOINT }, "bench");
  const ownElements: string = core.elementsText(core.headLinkElements(options));
  const postsDir = join(dir, "_site-off/posts");
  const mismatches: string[] = [];
  const declined = new Map<string, number>();
  let pages = 0;
  for (const name of await readdir(postsDir)) {
    let html: string;
    try {
      html = await readFile(join(postsDir, name, "index.html"), "utf8");
    } catch {
      continue;
    }
    // The page as the plugin's build renders it with --head-shortcode (what the shortcode writes).
    if (headShortcode) html = html.replace("</title>\n", `</title>\n${ownElements}`);
    pages++;
    const url = `${SITE}/posts/${name}/`;
    const fast = core.processPage(html, url, options);
    const reference = core.processPageReference(html, url, options);
    if (JSON.stringify(fast) !== JSON.stringify(reference)) mismatches.push(url);
    const reason: string | undefined = core.fastPathDeclineReason?.(html, options);
    if (reason !== undefined) declined.set(reason, (declined.get(reason) ?? 0) + 1);
  }
  return { pages, mismatches, declined };
}

async function main(): Promise<void> {
  // Issue 21: the overhead must not grow with the site, so both sizes by default.
  for (const pages of sizesFlag("bench/eleventy.ts", [2000, 10000])) {
    const runs = intFlag("bench/eleventy.ts", "runs", pages > 5000 ? 3 : 5);
    await benchSize(pages, runs);
  }
}

async function benchSize(pages: number, runs: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "sp-bench-eleventy-"));
  try {
    const generateStart = performance.now();
    const linksPerPost = process.argv.includes("--links-per-post")
      ? intFlag("bench/eleventy.ts", "links-per-post", 9)
      : undefined;
    const headShortcode = process.argv.includes("--head-shortcode");
    const externalLinks = await generate(dir, pages, linksPerPost, headShortcode);
    const sample = await readFile(join(dir, "src/posts/post-0.md"), "utf8");
    console.log(
      `eleventy bench: ${pages} posts (${(sample.length / 1024).toFixed(1)} KB of Markdown each, ${externalLinks.toFixed(1)} external links a post, generated in ${((performance.now() - generateStart) / 1000).toFixed(1)} s)${headShortcode ? ", the layout writes the link elements ({% pingbackLinks %})" : ""}, ${runs} runs each, alternating, ${cpus().length} CPUs, Node ${process.version}`,
    );
    // "inline" (the plugin without its worker thread) and "insert" (no plugin, a bare
    // inserting transform) only when asked.
    const all: Mode[] = ["off", "on", "cold", "first"];
    if (process.argv.includes("--inline")) all.push("inline");
    if (process.argv.includes("--insert")) all.push("insert");
    const other = againstCheckout();
    if (other && headShortcode)
      throw new Error(
        "--against builds the other checkout's plugin, which may lack the shortcode: not with --head-shortcode",
      );
    if (other) {
      all.push("against");
      console.log(`  "against": cold builds of ${other}`);
    }
    const at = process.argv.indexOf("--modes");
    const wanted = at === -1 ? undefined : String(process.argv[at + 1]).split(",");
    const modes = all.filter(
      (mode) => mode === "off" || mode === "against" || (wanted?.includes(mode) ?? true),
    );
    // One untimed warm-up of each (file system cache, first manifest).
    for (const mode of modes) await runChild(dir, mode);
    const timings = await alternate(
      modes,
      runs,
      (mode) => runChild(dir, mode),
      (mode, timing) =>
        `${mode} ${timing.wallMs.toFixed(0)} ms wall / ${timing.cpuMs.toFixed(0)} ms CPU / ${timing.peakRssMb.toFixed(0)} MB`,
    );
    const of = (mode: Mode) => timings.get(mode) ?? [];
    const wall = (mode: Mode) => median(of(mode).map((t) => t.wallMs));
    const cpu = (mode: Mode) => median(of(mode).map((t) => t.cpuMs));
    const main = (mode: Mode) => median(of(mode).map((t) => t.mainCpuMs));
    const rss = (mode: Mode) => median(of(mode).map((t) => t.peakRssMb));
    const heap = (mode: Mode) => median(of(mode).map((t) => t.peakMainHeapMb));
    const endOf = (mode: Mode) => of(mode).map((t) => t.endMs);
    const rssAtAfter = (mode: Mode) => median(of(mode).map((t) => t.rssAtAfterMb));
    const paired = (mode: Mode, pick: (t: Timing) => number) =>
      pairedRatio(of("off").map(pick), of(mode).map(pick)).toFixed(3);
    const html = await readFile(join(dir, "_site-off/posts/post-0/index.html"), "utf8");
    const outbox = of("first").length
      ? `${(median(of("first").map((t) => t.outboxBytes)) / 1024).toFixed(1)} KB`
      : "not built";
    console.log(
      `  page size: ${(html.length / 1024).toFixed(1)} KB of HTML; a first build's outbox.json: ${outbox}`,
    );
    for (const mode of modes.filter((m) => m !== "off")) {
      console.log(
        `  median wall: off ${wall("off").toFixed(0)} ms, ${mode} ${wall(mode).toFixed(0)} ms, ratio ${(wall(mode) / wall("off")).toFixed(3)} (goal <= 1.10); median of the ${runs} paired ratios ${paired(mode, (t) => t.wallMs)}`,
      );
      console.log(
        `  median CPU:  off ${cpu("off").toFixed(0)} ms, ${mode} ${cpu(mode).toFixed(0)} ms, ratio ${(cpu(mode) / cpu("off")).toFixed(3)} (goal <= 1.25); paired ${paired(mode, (t) => t.cpuMs)}`,
      );
      console.log(
        `  median main-thread CPU: off ${main("off").toFixed(0)} ms, ${mode} ${main(mode).toFixed(0)} ms, ratio ${(main(mode) / main("off")).toFixed(3)} (bounds wall on an otherwise idle machine)`,
      );
      // The rest of the process: the page worker, V8's garbage-collection and compiler
      // threads, libuv's pool.
      const others = (m: Mode) => median(of(m).map((t) => t.cpuMs - t.mainCpuMs));
      console.log(
        `  CPU off the main thread: off ${others("off").toFixed(0)} ms, ${mode} ${others(mode).toFixed(0)} ms, ${mode} adds ${(others(mode) - others("off")).toFixed(0)} ms (page worker, garbage collection, compilation)`,
      );
      console.log(
        `  median peak RSS: off ${rss("off").toFixed(0)} MB, ${mode} ${rss(mode).toFixed(0)} MB, ratio ${(rss(mode) / rss("off")).toFixed(3)} (goal <= 1.15 at 10,000 posts, cold)`,
      );
      // An --against checkout's benchmark may be older than this number.
      if (of(mode).every((t) => typeof t.rssAtAfterMb === "number"))
        console.log(
          `  median RSS at eleventy.after: off ${rssAtAfter("off").toFixed(0)} MB, ${mode} ${rssAtAfter(mode).toFixed(0)} MB (the peak is ${(rss(mode) - rssAtAfter(mode)).toFixed(0)} MB above it: what the end of the build adds)`,
        );
      console.log(
        `  median peak main-thread heap in use: off ${heap("off").toFixed(0)} MB, ${mode} ${heap(mode).toFixed(0)} MB, ratio ${(heap(mode) / heap("off")).toFixed(3)}`,
      );
      console.log(
        `  end of build (eleventy.after to done): ${mode} median ${median(endOf(mode)).toFixed(0)} ms, range ${Math.min(...endOf(mode)).toFixed(0)}-${Math.max(...endOf(mode)).toFixed(0)} ms`,
      );
      console.log(
        `  per page: off ${(wall("off") / pages).toFixed(3)} ms, ${mode} adds ${((wall(mode) - wall("off")) / pages).toFixed(3)} ms wall, ${((cpu(mode) - cpu("off")) / pages).toFixed(3)} ms CPU`,
      );
    }

    if (of("insert").length > 0) {
      for (const mode of modes.filter((m) => m !== "off" && m !== "insert")) {
        console.log(
          `  ${mode} against ${headShortcode ? "the layout with the link element" : "the bare inserting transform"}: wall ${(wall(mode) / wall("insert")).toFixed(3)}, CPU ${(cpu(mode) / cpu("insert")).toFixed(3)}, peak RSS ${(rss(mode) / rss("insert")).toFixed(3)}, main-thread heap ${(heap(mode) / heap("insert")).toFixed(3)} (the plugin's own share)`,
        );
      }
    }

    if (process.argv.includes("--live-heap")) {
      const heaps: string[] = [];
      for (const mode of modes.filter((m) => m !== "against")) {
        const { heapAtAfterMb: at } = await runChild(dir, mode, true);
        if (at) heaps.push(`${mode} ${at.inUse.toFixed(0)} -> ${at.live.toFixed(0)} MB`);
      }
      console.log(
        `  main-thread heap at eleventy.after, in use -> live after a full collection there (one more build each, untimed): ${heaps.join(", ")}`,
      );
    }

    if (of("against").length > 0 && of("cold").length > 0) {
      const endAgainst = median(endOf("against"));
      console.log(
        `  cold against the other checkout's cold: wall ${(wall("cold") / wall("against")).toFixed(3)} (paired ${pairedRatio(
          of("against").map((t) => t.wallMs),
          of("cold").map((t) => t.wallMs),
        ).toFixed(
          3,
        )}), CPU ${(cpu("cold") / cpu("against")).toFixed(3)}, peak RSS ${(rss("cold") / rss("against")).toFixed(3)} (${rss("cold").toFixed(0)} against ${rss("against").toFixed(0)} MB), main-thread heap ${heap("cold").toFixed(0)} against ${heap("against").toFixed(0)} MB, end of build median ${median(endOf("cold")).toFixed(0)} against ${endAgainst.toFixed(0)} ms`,
      );
    }

    if (!process.argv.includes("--no-verify")) {
      const checked = await verify(dir, headShortcode);
      console.log(
        `  fast path vs reference: ${checked.pages} pages, ${checked.mismatches.length} differ${checked.mismatches.length ? ` (first: ${checked.mismatches[0]})` : ""}`,
      );
      const declined = [...checked.declined].map(([reason, count]) => `${count} ${reason}`);
      console.log(
        `  pages the fast scan hands to the full parse: ${declined.length ? declined.join(", ") : "none"}`,
      );
      if (checked.mismatches.length > 0) process.exitCode = 1;
    }
  } finally {
    if (process.argv.includes("--keep")) console.log(`  kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child") {
  await child(process.argv[4] as string, process.argv[3] as Mode);
} else {
  await main();
}
