import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { Eleventy, type UserConfig } from "@11ty/eleventy";
import staticPingback from "../src/index.ts";
import type { EleventyPingbackOptions } from "../src/options.ts";

/** A throwaway Eleventy project in a temporary directory. */
export interface Project {
  root: string;
  input: string;
  output: string;
  stateDir: string;
  write(files: Record<string, string>): Promise<void>;
  read(path: string): Promise<string>;
  readJson<T = unknown>(path: string): Promise<T>;
  remove(): Promise<void>;
}

export async function createProject(files: Record<string, string>): Promise<Project> {
  const project = projectAt(await mkdtemp(join(tmpdir(), "sp-eleventy-")));
  await project.write(files);
  return project;
}

/** The project whose files are under `root`. */
export function projectAt(root: string): Project {
  const project: Project = {
    root,
    input: join(root, "src"),
    output: join(root, "_site"),
    stateDir: join(root, ".pingback"),
    async write(more) {
      for (const [path, text] of Object.entries(more)) {
        const file = join(project.input, path);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, text);
      }
    },
    read: (path) => readFile(join(root, path), "utf8"),
    readJson: async (path) => JSON.parse(await readFile(join(root, path), "utf8")),
    remove: () => rm(root, { recursive: true, force: true }),
  };
  return project;
}

export interface BuildOptions {
  pathPrefix?: string;
  runMode?: "build" | "serve" | "watch";
  /** As `--incremental`: Eleventy's incremental mode (the plugin keeps pages it did not rebuild). */
  incremental?: boolean;
  /** Extra configuration (filters, template formats) before the plugin is added. */
  configure?: (eleventyConfig: UserConfig) => void;
  /** A plugin added after this one (its transforms run after the plugin's). */
  afterPlugin?: (eleventyConfig: UserConfig) => void;
  /** As `--dryrun`: Eleventy renders but writes no page. */
  dryRun?: boolean;
}

/** A real Eleventy build of the project with the plugin. */
export async function build(
  project: Project,
  options: Partial<EleventyPingbackOptions>,
  buildOptions: BuildOptions = {},
): Promise<void> {
  // From the project directory, as a CLI run is (incremental builds need it).
  const inProject = process.cwd() === project.root;
  const input = inProject ? "src" : project.input;
  const output = inProject ? "_site" : project.output;
  const eleventy = new Eleventy(input, output, {
    quietMode: true,
    ...(buildOptions.runMode ? { runMode: buildOptions.runMode } : {}),
    ...(buildOptions.pathPrefix ? { pathPrefix: buildOptions.pathPrefix } : {}),
    config(eleventyConfig) {
      buildOptions.configure?.(eleventyConfig);
      eleventyConfig.addPlugin(staticPingback, {
        site: "https://blog.example",
        endpoint: "https://blog.example/xmlrpc",
        stateDir: project.stateDir,
        // Small fixtures gain nothing from a worker thread; offload.test.ts covers it.
        workerThread: false,
        ...options,
      });
      if (buildOptions.afterPlugin) eleventyConfig.addPlugin(buildOptions.afterPlugin);
    },
  });
  if (buildOptions.dryRun) eleventy.setDryRun(true); // before init, which hands it on
  await eleventy.init();
  if (buildOptions.incremental) eleventy.setIncrementalBuild(true);
  await eleventy.write();
}

/** Collects what the plugin logs while `run` runs (console.log/warn/error). */
export async function captureLog<T>(run: () => Promise<T>): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  const saved = { log: console.log, warn: console.warn, error: console.error };
  const keep = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  console.log = keep;
  console.warn = keep;
  console.error = keep;
  try {
    return { value: await run(), lines };
  } finally {
    Object.assign(console, saved);
  }
}

/**
 * The same build in a fresh Node process, as a CLI run is: Eleventy keeps a
 * process-wide cache of input files, so a second in-process build of an edited
 * project would not see the edit. Options must be JSON. Resolves to the log lines.
 */
export async function buildInChild(
  project: Project,
  options: Partial<EleventyPingbackOptions>,
  buildOptions: Omit<BuildOptions, "configure" | "afterPlugin"> = {},
): Promise<string[]> {
  const child = new URL("./build-child.ts", import.meta.url).pathname;
  const args = JSON.stringify({ root: project.root, options, buildOptions });
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [child, args], {
    cwd: project.root,
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  return `${stdout}${stderr}`.split("\n").filter((line) => line !== "");
}

/** Every file under a directory, by path relative to it, but the published manifest (dated). */
export async function filesUnder(dir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === "pingback-manifest.json") continue;
    const file = join(entry.parentPath, entry.name);
    found.set(relative(dir, file), await readFile(file, "utf8"));
  }
  return found;
}
