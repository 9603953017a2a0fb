import { execFileSync } from "node:child_process";
import { median } from "./report.ts";

/**
 * Runs timed builds of several modes in turns, `runs` times each. The order flips every
 * run (off, on, cold, then cold, on, off), so no mode always follows the same one, and
 * before each build the previous one's writes are flushed to disk (`sync`), so its
 * writeback does not land in the next build's time. Prints a line per run.
 */
export async function alternate<Mode extends string, Timing>(
  modes: readonly Mode[],
  runs: number,
  runOne: (mode: Mode) => Promise<Timing>,
  describe: (mode: Mode, timing: Timing) => string,
): Promise<Map<Mode, Timing[]>> {
  const timings = new Map<Mode, Timing[]>(modes.map((mode) => [mode, []]));
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? modes : [...modes].reverse();
    const line = new Map<Mode, string>();
    for (const mode of order) {
      settle();
      const timing = await runOne(mode);
      timings.get(mode)?.push(timing);
      line.set(mode, describe(mode, timing));
    }
    console.log(`  run ${run + 1}: ${modes.map((mode) => line.get(mode)).join(", ")}`);
  }
  return timings;
}

/** Flushes dirty pages to disk; where there is no `sync` command, does nothing. */
export function settle(): void {
  try {
    execFileSync("sync", { stdio: "ignore" });
  } catch {
    // Not on this system: the builds are still alternated.
  }
}

/**
 * The median of the per-run ratios `other[i] / base[i]`: the builds of one run ran
 * minutes apart at most, so a slow stretch of the machine moves both sides of a ratio.
 */
export function pairedRatio(base: readonly number[], other: readonly number[]): number {
  return median(other.map((value, run) => value / (base[run] as number)));
}
