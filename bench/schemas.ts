/**
 * Start-up cost of the state files' schema checks, each in a fresh process: the first
 * check of a manifest, an outbox and a state file, as a process that reads them pays it
 * (the page worker of a build with a previous manifest, every CLI command). "precompiled"
 * is the built package, with the validators the build wrote as code
 * (dist/files/compiled-schemas.cjs); "run time" has ajv compile them, as from src/ or
 * without that build step. Module loading is included in both.
 *
 *   node bench/schemas.ts [--runs 7]
 *
 * Uses the built packages (dist/): run `pnpm build` first (`pnpm bench` does).
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { median, printTable } from "./support/report.ts";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "7" }, child: { type: "string" } },
});

const AT = "2026-12-04T06:00:00.000Z";
const DOCUMENTS = {
  manifest: { version: 1, site: "https://me.example/", endpoint: null, generatedAt: AT, pages: {} },
  outbox: {
    version: 1,
    generatedAt: AT,
    previousGeneratedAt: null,
    added: [],
    removed: [],
    pagesAdded: [],
    pagesRemoved: [],
  },
  state: { version: 1, pairs: [] },
} as const;

type Mode = "precompiled" | "run time";

async function child(mode: Mode): Promise<void> {
  const started = performance.now();
  const validator = fileURLToPath(
    new URL("../packages/core/dist/files/schema-validator.js", import.meta.url),
  );
  const schemas = (await import(
    validator
  )) as typeof import("../packages/core/src/files/schema-validator.ts");
  const engine = mode === "run time" ? schemas.createValidatorEngine() : undefined;
  for (const [name, document] of Object.entries(DOCUMENTS)) {
    const ok = engine
      ? engine.compile(schemas.loadSchema(name as keyof typeof DOCUMENTS))(document)
      : schemas.assertMatchesSchema(name as keyof typeof DOCUMENTS, document, name) === document;
    if (!ok) throw new Error(`bench/schemas.ts: the sample ${name} does not validate`);
  }
  process.stdout.write(`${performance.now() - started}\n`);
}

if (values.child) {
  await child(values.child as Mode);
} else {
  const runs = Number(values.runs);
  const rows: string[][] = [];
  for (const mode of ["precompiled", "run time"] as const) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--child", mode]);
      times.push(Number(String(out).trim()));
    }
    rows.push([
      mode,
      median(times).toFixed(1),
      `${Math.min(...times).toFixed(1)}–${Math.max(...times).toFixed(1)}`,
    ]);
  }
  console.log(
    `schema checks: the first check of a manifest, an outbox and a state file in a fresh process, ${runs} processes each`,
  );
  printTable(["validators", "median ms", "range ms"], rows);
}
