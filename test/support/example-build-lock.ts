import { join } from "node:path";
import { acquireLock, StateLockedError } from "../../packages/core/src/send/state-lock.ts";

/**
 * A lock the test files that build the example blogs in place take around those builds.
 * Astro keeps build files inside the project (`.astro/.prerender`), so two builds of one
 * example at once, from two test files the runner runs side by side, break each other.
 * It is core's state lock (O_EXCL, the owner's pid, a dead owner's lock taken over) on a
 * file in the repository's ignored `node_modules`, waited for rather than refused.
 */
const LOCK = join(import.meta.dirname, "../../node_modules/.sp-example-build.lock");
const POLL_MS = 200;
const GIVE_UP_MS = 10 * 60_000;

export async function lockExampleBuilds(): Promise<() => Promise<void>> {
  const started = Date.now();
  for (;;) {
    try {
      return await acquireLock(LOCK);
    } catch (error) {
      if (!(error instanceof StateLockedError) || Date.now() - started > GIVE_UP_MS) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
