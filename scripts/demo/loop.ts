import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify, stripVTControlCharacters } from "node:util";
import { freePort, type StaticServer, serveStatic } from "./static-server.ts";

/**
 * The whole loop on 127.0.0.1, as a user would run it: real builds of both example
 * blogs through their own CLIs, static servers for the built sites, one
 * `static-pingback serve` per site, `static-pingback send` after "deploy", and
 * rebuilds that render what was received. Shared by `pnpm demo` and the e2e test.
 */

const repo = fileURLToPath(new URL("../../", import.meta.url));
const eleventyDir = join(repo, "examples/eleventy-blog");
const astroDir = join(repo, "examples/astro-blog");
const cliBin = join(repo, "packages/cli/dist/bin.js");
const run = promisify(execFile);

export interface LoopPorts {
  eleventy: number;
  astro: number;
  eleventyReceiver: number;
  astroReceiver: number;
}

export interface LoopOptions {
  /** Where outputs, state and databases go (kept between runs by the demo). */
  workDir: string;
  /** Fixed ports make a rerun see the same URLs; 0 picks free ones. */
  ports?: Partial<LoopPorts>;
  log?: (line: string) => void;
}

/** One pair's outcome, as `send --json` prints it. */
export interface Outcome {
  source: string;
  target: string;
  protocol: "webmention" | "pingback" | null;
  status: string;
  statusUrl?: string;
}

export interface SendReport {
  settled: Record<string, number>;
  sent: number;
  /** Per pair: which protocol carried it and how it ended. */
  outcomes: Outcome[];
  raw: unknown;
}

/**
 * A receiver verifies a Webmention after it answered 202; wait (up to 10 s) until every
 * status URL of this run says it is no longer queued, so the rebuild that follows sees it.
 */
async function settleWebmentions(outcomes: readonly Outcome[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (const { statusUrl } of outcomes) {
    if (!statusUrl) continue;
    while (Date.now() < deadline) {
      const response = await fetch(statusUrl).catch(() => undefined);
      const body = (await response?.json().catch(() => undefined)) as
        | { status?: string }
        | undefined;
      if (body?.status !== "queued") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** What the loop did, for the demo's printout and the e2e test's assertions. */
export interface Loop {
  urls: { eleventy: string; astro: string; eleventyReceiver: string; astroReceiver: string };
  dirs: { eleventyOut: string; astroOut: string; eleventyState: string; astroState: string };
  /** The post of each blog that links to the other blog. */
  posts: { eleventy: string; astro: string };
  build(which: "eleventy" | "astro"): Promise<string>;
  send(which: "eleventy" | "astro"): Promise<SendReport>;
  close(): Promise<void>;
}

function summaryLine(output: string): string {
  // Astro's logger colours its lines even when asked not to.
  const plain = stripVTControlCharacters(output);
  return (
    plain
      .split("\n")
      .find((line) => line.includes("[@static-pingback/") && line.includes("pages ("))
      ?.trim() ?? ""
  );
}

async function startReceiver(
  args: string[],
  url: string,
  log: (line: string) => void,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cliBin, "serve", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`receiver exited early:\n${output}`);
    const healthy = await fetch(new URL("/healthz", url)).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) {
      log(`receiver for ${args[args.indexOf("--site") + 1]} listening on ${url}`);
      return child;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`receiver did not answer /healthz within 20 s:\n${output}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export async function startLoop(options: LoopOptions): Promise<Loop> {
  const log = options.log ?? (() => {});
  const { workDir } = options;
  const port = async (name: keyof LoopPorts) => options.ports?.[name] || (await freePort());
  const ports: LoopPorts = {
    eleventy: await port("eleventy"),
    astro: await port("astro"),
    eleventyReceiver: await port("eleventyReceiver"),
    astroReceiver: await port("astroReceiver"),
  };
  const base = (p: number) => `http://127.0.0.1:${p}/`;
  const urls = {
    eleventy: base(ports.eleventy),
    astro: base(ports.astro),
    eleventyReceiver: base(ports.eleventyReceiver),
    astroReceiver: base(ports.astroReceiver),
  };
  const dirs = {
    eleventyOut: join(workDir, "eleventy/_site"),
    astroOut: join(workDir, "astro/dist"),
    eleventyState: join(workDir, "eleventy/.pingback"),
    astroState: join(workDir, "astro/.pingback"),
  };
  await mkdir(join(workDir, "eleventy"), { recursive: true });
  await mkdir(join(workDir, "astro"), { recursive: true });

  // The examples read these (see their READMEs): the site and endpoint of this run,
  // the other blog's URL for the cross-links, and local links only, so nothing here
  // ever pings an address off this machine.
  const envFor = (which: "eleventy" | "astro") => ({
    ...process.env,
    FORCE_COLOR: "0",
    ASTRO_TELEMETRY_DISABLED: "1",
    PINGBACK_SITE: which === "eleventy" ? urls.eleventy : urls.astro,
    PINGBACK_RECEIVER: which === "eleventy" ? urls.eleventyReceiver : urls.astroReceiver,
    // One protocol of each kind: the Eleventy blog takes pingbacks only (see its config).
    ...(which === "eleventy" ? { PINGBACK_NO_WEBMENTION: "1" } : {}),
    PINGBACK_RECEIVED: `${which === "eleventy" ? urls.eleventyReceiver : urls.astroReceiver}pingbacks.jf2`,
    PINGBACK_STATE_DIR: which === "eleventy" ? dirs.eleventyState : dirs.astroState,
    PINGBACK_LOCAL_LINKS_ONLY: "1",
    PEER_BLOG_URL: which === "eleventy" ? urls.astro : urls.eleventy,
  });

  const servers: StaticServer[] = [];
  const receivers: ChildProcess[] = [];

  const loop: Loop = {
    urls,
    dirs,
    posts: {
      eleventy: `${urls.eleventy}posts/hello-astro/`,
      astro: `${urls.astro}posts/hello-eleventy/`,
    },
    async build(which) {
      if (which === "eleventy") {
        const cli = join(eleventyDir, "node_modules/@11ty/eleventy/cmd.cjs");
        const { stdout, stderr } = await run(
          process.execPath,
          [cli, `--output=${dirs.eleventyOut}`],
          { cwd: eleventyDir, env: envFor("eleventy"), maxBuffer: 16 * 1024 * 1024 },
        );
        return summaryLine(stdout + stderr);
      }
      const cli = join(astroDir, "node_modules/astro/bin/astro.mjs");
      const { stdout, stderr } = await run(
        process.execPath,
        [cli, "build", "--outDir", dirs.astroOut, "--site", urls.astro],
        { cwd: astroDir, env: envFor("astro"), maxBuffer: 16 * 1024 * 1024 },
      );
      return summaryLine(stdout + stderr);
    },
    async send(which) {
      const dir = which === "eleventy" ? dirs.eleventyState : dirs.astroState;
      const hasState = await readFile(join(dir, "state.json")).then(
        () => true,
        () => false,
      );
      // First run: without --all every pair is recorded as a baseline and nothing is sent.
      const args = ["send", "--dir", dir, "--allow-private", "--host-interval", "0s", "--json"];
      if (!hasState) args.push("--all");
      const { stdout } = await run(process.execPath, [cliBin, ...args], {
        env: { ...process.env, NO_COLOR: "1" },
        maxBuffer: 16 * 1024 * 1024,
      });
      const raw = JSON.parse(stdout) as { counts: Record<string, number>; outcomes?: Outcome[] };
      const outcomes = raw.outcomes ?? [];
      await settleWebmentions(outcomes);
      return { settled: raw.counts, sent: Number(raw.counts.sent ?? 0), outcomes, raw };
    },
    async close() {
      await Promise.all(receivers.map(stop));
      await Promise.all(servers.map((server) => server.close()));
    },
  };

  try {
    log(`building examples/eleventy-blog for ${urls.eleventy}`);
    log(`  ${await loop.build("eleventy")}`);
    log(`building examples/astro-blog for ${urls.astro}`);
    log(`  ${await loop.build("astro")}`);
    servers.push(await serveStatic(dirs.eleventyOut, ports.eleventy));
    servers.push(await serveStatic(dirs.astroOut, ports.astro));
    log(`serving both sites: ${urls.eleventy} and ${urls.astro}`);
    for (const [site, manifest, receiverPort, peer, db] of [
      [urls.astro, dirs.astroOut, ports.astroReceiver, urls.eleventy, "astro"],
      [urls.eleventy, dirs.eleventyOut, ports.eleventyReceiver, urls.astro, "eleventy"],
    ] as const) {
      const args = [
        "--site",
        site,
        "--manifest",
        join(manifest, "pingback-manifest.json"),
        "--db",
        join(workDir, `${db}/received.db`),
        "--port",
        String(receiverPort),
        "--allow-private",
        "--trusted",
        new URL(peer).hostname,
      ];
      receivers.push(await startReceiver(args, base(receiverPort), log));
    }
  } catch (error) {
    await loop.close();
    throw error;
  }
  return loop;
}
