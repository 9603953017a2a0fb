/**
 * `pnpm bench`: runs every benchmark in its own process, one after another, so one
 * does not warm or load the other. Pass names to run only some: `pnpm bench core send`.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const all = ["core", "shortcuts", "schemas", "eleventy", "astro", "send", "receiver"];
const chosen = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
const names = chosen.length > 0 ? chosen : all;
let failed = false;
for (const name of names) {
  const file = new URL(`./${name}.ts`, import.meta.url);
  if (!existsSync(file)) {
    console.log(`\n== ${name}: no benchmark yet`);
    continue;
  }
  console.log(`\n== ${name}`);
  const result = spawnSync(process.execPath, [file.pathname], { stdio: "inherit" });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
