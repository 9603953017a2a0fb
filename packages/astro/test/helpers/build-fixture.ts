import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type AstroInlineConfig, build } from "astro";

const fixtures = fileURLToPath(new URL("../fixtures/", import.meta.url));

export interface FixtureBuild {
  root: string;
  outDir: string;
  stateDir: string;
}

/**
 * Runs a real `astro build` of a fixture into a fresh temporary directory (output and
 * state directory both), with the given config on top.
 */
export async function buildFixture(
  fixture: string,
  config: AstroInlineConfig,
  into?: string,
): Promise<FixtureBuild> {
  const root = path.join(fixtures, fixture);
  const work = into ?? (await mkdtemp(path.join(tmpdir(), `sp-astro-${fixture}-`)));
  const outDir = path.join(work, "dist");
  await build({
    root,
    outDir,
    cacheDir: path.join(work, "vite-cache"),
    logLevel: "error",
    telemetry: false,
    ...config,
  } as AstroInlineConfig);
  return { root, outDir, stateDir: path.join(work, ".pingback") };
}

export { pathToFileURL };
