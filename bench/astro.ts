/**
 * Astro build benchmark: a generated blog (default 1,000 Markdown posts of about
 * 12 KB of HTML each: layout with nav/footer chrome, 25 paragraphs with about 8
 * external links each), built with the static-pingback integration off and on,
 * alternating (see support/alternate.ts), each build in a fresh Node process. Prints the
 * median wall and CPU time and peak RSS of each, their ratio (goals: <= 1.05x wall with the
 * page cache, <= 1.10x cold, at 1,000 posts), the
 * median of the per-run ratios, and the time spent in the integration's astro:build:done
 * hook. Another build, "passthrough", has only a middleware that calls next() (see
 * PASSTHROUGH_MIDDLEWARE): "on" against it is the integration's cost without Astro's own
 * gain from having a middleware. This machine's build times wander by 10% or more from
 * one build to the next, so a ratio needs many runs: 9 by default, 3 above 5,000 posts
 * (a 10,000-post build takes minutes).
 *
 *   node bench/astro.ts [--posts 1000,2000,10000] [--runs 9] [--links 8] [--concurrency 8] [--keep]
 *
 * `--posts` takes a comma-separated list of site sizes; each size gets its own site and
 * its own table.
 *
 * `--links` is the mean number of external links per paragraph (8, as in the Eleventy
 * benchmark: about 190 per post, heavy on purpose; 1 is closer to a typical blog).
 *
 * Every build after the first is a rebuild of the unchanged site: "on" has the page
 * cache the build before it wrote; "cold" is the integration with the page cache
 * removed first (a build with only the previous manifest, as in CI without a cached
 * stateDir); "first" has no state at all (a first build: no previous manifest, no page
 * cache), after which the size of its outbox.json is printed. Each build also reports the
 * peak RSS of its process.
 *
 * Uses the built packages (dist/): run `pnpm build` first (`pnpm bench` does).
 * SP_BENCH_LOG=info (or debug) shows Astro's own log of each build, with its phase times.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { alternate, pairedRatio } from "./support/alternate.ts";
import { intFlag, markdownParagraph, seededRandom, sizesFlag } from "./support/markdown-blog.ts";
import { median } from "./support/report.ts";

const SITE = "https://bench.example";
const ENDPOINT = "https://bench.example/xmlrpc";
const repo = fileURLToPath(new URL("..", import.meta.url));
const astroPackage = join(repo, "packages/astro");

interface Timing {
  wallMs: number;
  cpuMs: number;
  /** Time inside the integration's astro:build:done hook (0 when off). */
  hookMs: number;
  /** Peak resident set of the build process (worker threads share it), in MB. */
  peakRssMb: number;
  /** Bytes of outbox.json after the build (0 without the integration). */
  outboxBytes: number;
}

// --- the child: one build, timed in-process ---

interface Integration {
  name: string;
  hooks: Record<string, (...args: never[]) => unknown>;
}

/** Records when the integrations between two markers start and end their build:done work. */
function marker(name: string, stamp: (at: number) => void): Integration {
  return { name, hooks: { "astro:build:done": () => stamp(performance.now()) } };
}

type Mode = "off" | "on" | "cold" | "first" | "passthrough";
const MODES: Mode[] = ["off", "on", "cold", "first", "passthrough"];
/** The wall-time goals against the plain build (issue 18), for the modes that have one. */
const WALL_GOALS: Partial<Record<Mode, number>> = { on: 1.05, cold: 1.1 };

/**
 * The "passthrough" build's middleware: it only calls next(). Having a middleware at all
 * changes how Astro bundles and renders the site (here: 7% faster in one ad-hoc run of 6
 * builds each, 2% slower in a benchmark run), so "on" against "passthrough" is the
 * integration's own cost.
 */
const PASSTHROUGH_MIDDLEWARE = "bench-passthrough-middleware.mjs";
const PASSTHROUGH_SOURCE = "export const onRequest = (_context, next) => next();\n";

async function child(dir: string, mode: Mode, concurrency: number): Promise<void> {
  process.env.ASTRO_TELEMETRY_DISABLED = "1"; // a benchmark never reaches an outside address
  // Astro is a dependency of packages/astro, not of the repository root.
  const require = createRequire(join(astroPackage, "package.json"));
  const astro = await import(pathToFileURL(require.resolve("astro")).href);
  const integrations: Integration[] = [];
  let hookStart = 0;
  let hookEnd = 0;
  if (mode === "cold") await rm(join(dir, ".pingback/page-cache.json"), { force: true });
  // "first": a first build, no state at all (no previous manifest, no page cache).
  const stateDir = join(dir, mode === "first" ? ".pingback-first" : ".pingback");
  if (mode === "first") await rm(stateDir, { recursive: true, force: true });
  if (mode === "passthrough") {
    integrations.push({
      name: "bench:passthrough",
      hooks: {
        "astro:config:setup": ({ addMiddleware }: { addMiddleware: (m: object) => void }) =>
          addMiddleware({ entrypoint: join(dir, PASSTHROUGH_MIDDLEWARE), order: "pre" }),
      },
    });
  } else if (mode !== "off") {
    const staticPingback = (await import(pathToFileURL(join(astroPackage, "dist/index.js")).href))
      .default;
    integrations.push(
      marker("bench:start", (at) => {
        hookStart = at;
      }),
      staticPingback({ endpoint: ENDPOINT, stateDir, concurrency }),
      marker("bench:end", (at) => {
        hookEnd = at;
      }),
    );
  }
  const cpu = process.cpuUsage();
  const start = performance.now();
  await astro.build({
    root: dir,
    outDir: join(dir, `dist-${mode}`),
    site: SITE,
    logLevel: (process.env.SP_BENCH_LOG ?? "error") as "error" | "info" | "debug",
    integrations,
  });
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const outbox =
    mode !== "off" && mode !== "passthrough"
      ? await stat(join(stateDir, "outbox.json")).catch(() => undefined)
      : undefined;
  const timing: Timing = {
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    hookMs: hookEnd - hookStart,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    outboxBytes: outbox?.size ?? 0,
  };
  process.stdout.write(`${JSON.stringify(timing)}\n`);
}

// --- the generated site ---

const LAYOUT = `---
const { frontmatter } = Astro.props;
---
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{frontmatter.title} · Bench Blog</title>
<link rel="alternate" type="application/atom+xml" href="/feed.xml">
</head>
<body>
<header><a href="/">Bench Blog</a>
<nav><a href="/">Home</a> <a href="/posts/">Archive</a> <a href="/about/">About</a> <a href="https://github.com/bench">GitHub</a> <a href="https://mastodon.example/@bench">Mastodon</a> <a href="https://indieweb.org/">IndieWeb</a></nav>
</header>
<main>
<article class="h-entry">
<h1 class="p-name">{frontmatter.title}</h1>
<time class="dt-published" datetime={frontmatter.date}>{frontmatter.date}</time>
<div class="e-content">
<slot />
</div>
</article>
</main>
<footer><p>Built with <a href="https://astro.build/">Astro</a>, hosted on <a href="https://pages.example/">Pages</a>. <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a></p></footer>
</body>
</html>
`;

async function generate(dir: string, posts: number, meanLinks: number): Promise<void> {
  const next = seededRandom(42);
  await mkdir(join(dir, "src/layouts"), { recursive: true });
  await mkdir(join(dir, "src/pages/posts"), { recursive: true });
  await writeFile(join(dir, "src/layouts/Post.astro"), LAYOUT);
  await writeFile(join(dir, PASSTHROUGH_MIDDLEWARE), PASSTHROUGH_SOURCE);
  for (let i = 0; i < posts; i++) {
    const body = Array.from({ length: 25 }, () => markdownParagraph(next, i, meanLinks)).join(
      "\n\n",
    );
    const date = new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    await writeFile(
      join(dir, `src/pages/posts/post-${i}.md`),
      `---\nlayout: ../../layouts/Post.astro\ntitle: Post number ${i}\ndate: "${date}"\n---\n${body}\n`,
    );
  }
}

// --- the parent: alternate the builds, one site per size ---

async function runChild(dir: string, mode: Mode, concurrency: number): Promise<Timing> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [fileURLToPath(import.meta.url), "--child", mode, dir, String(concurrency)],
    { maxBuffer: 1 << 24 },
  );
  const line = stdout.trim().split("\n").pop() as string;
  return JSON.parse(line) as Timing;
}

async function main(): Promise<void> {
  const concurrency = intFlag("bench/astro.ts", "concurrency", 8);
  const meanLinks = intFlag("bench/astro.ts", "links", 8);
  for (const posts of sizesFlag("bench/astro.ts", [1000, 2000, 10000], "posts")) {
    const runs = intFlag("bench/astro.ts", "runs", posts > 5000 ? 3 : 9);
    await benchSize(posts, runs, concurrency, meanLinks);
  }
}

async function benchSize(
  posts: number,
  runs: number,
  concurrency: number,
  meanLinks: number,
): Promise<void> {
  // Inside packages/astro, so the generated site resolves `astro` from its node_modules.
  const scratch = join(astroPackage, "node_modules/.sp-bench");
  await mkdir(scratch, { recursive: true });
  const dir = await mkdtemp(join(scratch, "site-"));
  try {
    const generateStart = performance.now();
    await generate(dir, posts, meanLinks);
    console.log(
      `astro bench: ${posts} Markdown posts, about ${meanLinks} links per paragraph (generated in ${((performance.now() - generateStart) / 1000).toFixed(1)} s), ${runs} runs each, ${MODES.join("/")} alternating, concurrency ${concurrency}, ${cpus().length} CPUs, Node ${process.version}`,
    );
    // One untimed warm-up of each (file system cache, Vite cache, first manifest).
    for (const mode of MODES) await runChild(dir, mode, concurrency);
    const timings = await alternate(
      MODES,
      runs,
      (mode) => runChild(dir, mode, concurrency),
      (mode, timing) => {
        const hook =
          mode === "off" || mode === "passthrough" ? "" : ` (hook ${timing.hookMs.toFixed(0)} ms)`;
        return `${mode} ${timing.wallMs.toFixed(0)} ms wall / ${timing.cpuMs.toFixed(0)} ms CPU / ${timing.peakRssMb.toFixed(0)} MB${hook}`;
      },
    );
    const of = (mode: Mode) => timings.get(mode) ?? [];
    const wall = (mode: Mode) => median(of(mode).map((t) => t.wallMs));
    const cpu = (mode: Mode) => median(of(mode).map((t) => t.cpuMs));
    const rss = (mode: Mode) => median(of(mode).map((t) => t.peakRssMb));
    const paired = (mode: Mode, pick: (t: Timing) => number, base: Mode = "off") =>
      pairedRatio(of(base).map(pick), of(mode).map(pick)).toFixed(3);
    const html = await readFile(join(dir, "dist-on/posts/post-0/index.html"), "utf8");
    const outbox = median(of("first").map((t) => t.outboxBytes));
    console.log(
      `  page size: ${(html.length / 1024).toFixed(1)} KB of HTML; a first build's outbox.json: ${(outbox / 1024).toFixed(1)} KB`,
    );
    for (const mode of MODES.filter((m) => m !== "off")) {
      console.log(
        `  median wall: off ${wall("off").toFixed(0)} ms, ${mode} ${wall(mode).toFixed(0)} ms, ratio ${(wall(mode) / wall("off")).toFixed(3)}${WALL_GOALS[mode] === undefined ? "" : ` (goal <= ${WALL_GOALS[mode].toFixed(2)})`}; median of the ${runs} paired ratios ${paired(mode, (t) => t.wallMs)}`,
      );
      console.log(
        `  median CPU:  off ${cpu("off").toFixed(0)} ms, ${mode} ${cpu(mode).toFixed(0)} ms, ratio ${(cpu(mode) / cpu("off")).toFixed(3)}; paired ${paired(mode, (t) => t.cpuMs)}`,
      );
      console.log(
        `  median peak RSS: off ${rss("off").toFixed(0)} MB, ${mode} ${rss(mode).toFixed(0)} MB, ratio ${(rss(mode) / rss("off")).toFixed(3)}; paired ${paired(mode, (t) => t.peakRssMb)}`,
      );
      if (mode === "passthrough") continue;
      const hook = median(of(mode).map((t) => t.hookMs));
      console.log(
        `  ${mode}: integration hook median ${hook.toFixed(0)} ms, ${(hook / posts).toFixed(3)} ms per page, ${((100 * hook) / wall("off")).toFixed(1)}% of the plain build`,
      );
    }
    for (const mode of ["on", "cold"] as const) {
      console.log(
        `  ${mode} against a passthrough middleware alone: wall ratio ${(wall(mode) / wall("passthrough")).toFixed(3)} (paired ${paired(mode, (t) => t.wallMs, "passthrough")}), CPU ratio ${(cpu(mode) / cpu("passthrough")).toFixed(3)} (paired ${paired(mode, (t) => t.cpuMs, "passthrough")})`,
      );
    }
  } finally {
    if (process.argv.includes("--keep")) console.log(`  kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child") {
  await child(process.argv[4] as string, process.argv[3] as Mode, Number(process.argv[5] ?? 8));
} else {
  await main();
}
