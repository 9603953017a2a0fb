import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";

/**
 * A lock the test files that build the example blogs in place take around those builds.
 * Astro keeps build files inside the project (`.astro/.prerender`), so two builds of one
 * example at once, from two test files the runner runs side by side, break each other.
 * The lock is a file in the repository's ignored `node_modules`, holding its owner's pid:
 * a lock whose owner is gone is taken over.
 */
const LOCK = join(import.meta.dirname, "../../node_modules/.sp-example-build.lock");
const POLL_MS = 200;
const GIVE_UP_MS = 10 * 60_000;

export async function lockExampleBuilds(): Promise<() => Promise<void>> {
  const started = Date.now();
  for (;;) {
    try {
      const handle = await open(LOCK, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(LOCK, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (!(await ownerAlive())) {
      await rm(LOCK, { force: true });
      continue;
    }
    if (Date.now() - started > GIVE_UP_MS) {
      throw new Error(`the example builds stayed locked (${LOCK}) for ${GIVE_UP_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Whether the lock's owner still runs (a lock being written counts as held). */
async function ownerAlive(): Promise<boolean> {
  let pid: number;
  try {
    pid = Number(await readFile(LOCK, "utf8"));
  } catch {
    return true;
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
