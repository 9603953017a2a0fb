import { rmSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { type AstroInlineConfig, build } from "astro";

// Tests never reach an outside address: no Astro telemetry.
process.env.ASTRO_TELEMETRY_DISABLED = "1";

const fixtures = fileURLToPath(new URL("../fixtures/", import.meta.url));
/**
 * Inside the package: a copied fixture still resolves `astro` from node_modules, and an
 * output directory inside the working directory keeps Astro's server chunks beside it
 * (for an outDir elsewhere Astro uses <cwd>/.astro/.prerender, which builds running at
 * the same time would share).
 */
const scratch = fileURLToPath(new URL("../../node_modules/.sp-test/", import.meta.url));

// Everything a test run creates goes when the process ends (SP_KEEP=1 keeps it).
const created: string[] = [];
process.on("exit", () => {
  if (process.env.SP_KEEP) return;
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

async function scratchDir(label: string): Promise<string> {
  await mkdir(scratch, { recursive: true });
  const dir = await mkdtemp(path.join(scratch, `${label}-`));
  created.push(dir);
  return dir;
}

export interface FixtureBuild {
  root: string;
  outDir: string;
  stateDir: string;
}

/** A fresh temporary directory for one build's output and state. */
export function workDir(label: string): Promise<string> {
  return scratchDir(`work-${label}`);
}

/** A copy of a fixture that a test may edit between builds. */
export async function copyFixture(fixture: string): Promise<string> {
  const root = await scratchDir(`fixture-${fixture}`);
  await cp(path.join(fixtures, fixture), root, {
    recursive: true,
    filter: (source) => !/[/\\](?:\.astro|node_modules|dist|\.pingback)$/.test(source),
  });
  return root;
}

export function fixtureRoot(fixture: string): string {
  return path.join(fixtures, fixture);
}

/**
 * Runs a real, quiet `astro build` of a project root into `work/dist`, with the given
 * config on top.
 */
export async function buildSite(
  root: string,
  work: string,
  config: AstroInlineConfig,
): Promise<FixtureBuild> {
  const outDir = path.join(work, "dist");
  await build({
    root,
    outDir,
    cacheDir: path.join(work, "vite-cache"),
    logLevel: "error",
    ...config,
  });
  return { root, outDir, stateDir: path.join(work, ".pingback") };
}

/** Every file under `dir`, relative, "/"-separated, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"),
    )
    .sort();
}

export async function readJson<T = unknown>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, "utf8")) as T;
}

/** Runs `task` while collecting what it writes to stdout and stderr (Astro's logger). */
export async function captureOutput<T>(
  task: () => Promise<T>,
): Promise<{ value: T; output: string }> {
  const chunks: string[] = [];
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  const collect = (chunk: unknown): boolean => {
    chunks.push(String(chunk));
    return true;
  };
  process.stdout.write = collect as typeof process.stdout.write;
  process.stderr.write = collect as typeof process.stderr.write;
  try {
    const value = await task();
    // Astro colours its log when it thinks the terminal can (CI=true is enough): compare plain text.
    return { value, output: stripVTControlCharacters(chunks.join("")) };
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
}
