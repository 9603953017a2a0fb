import { open, readFile, rm, stat, utimes } from "node:fs/promises";
import { hostname } from "node:os";
import { StaticPingbackError } from "../errors/static-pingback-error.ts";

/** Another run holds the lock on this state directory. */
export class StateLockedError extends StaticPingbackError {
  readonly code = "state-locked";
  readonly lockFile: string;

  constructor(lockFile: string, holder: string) {
    super(
      `another static-pingback run is using this state directory (${holder}); ` +
        `wait for it to finish, or delete ${lockFile} if no run is active`,
    );
    this.name = "StateLockedError";
    this.lockFile = lockFile;
  }
}

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readLock(file: string): Promise<LockInfo | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as Partial<LockInfo>;
    if (typeof parsed.pid === "number" && typeof parsed.host === "string") {
      return { pid: parsed.pid, host: parsed.host, startedAt: String(parsed.startedAt) };
    }
  } catch {
    // Unreadable or half-written: treated as held, so nothing is overwritten by guess.
  }
  return undefined;
}

/** How often a running holder touches its lock, and when another host may call it stale. */
const HEARTBEAT_MS = 60_000;
const STALE_AFTER_MS = 10 * HEARTBEAT_MS;

async function lockAgeMs(file: string): Promise<number> {
  try {
    return Date.now() - (await stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Takes the lock file with O_EXCL. A lock left by a process of this host that no
 * longer exists (killed with -9) is stale and taken over. The holder touches its
 * lock every minute, so a lock from another host (say, restored from a CI cache after
 * a killed run) is stale once untouched for ten minutes. Any other lock is respected.
 * Returns the release function.
 */
export async function acquireLock(file: string): Promise<() => Promise<void>> {
  const info: LockInfo = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(`${JSON.stringify(info)}\n`);
      await handle.close();
      const heartbeat = setInterval(() => {
        const now = new Date();
        utimes(file, now, now).catch(() => {});
      }, HEARTBEAT_MS);
      heartbeat.unref();
      return async () => {
        clearInterval(heartbeat);
        await rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readLock(file);
    const stale = holder
      ? holder.host === info.host
        ? !isAlive(holder.pid)
        : (await lockAgeMs(file)) > STALE_AFTER_MS
      : false;
    if (stale) {
      await rm(file, { force: true });
      continue;
    }
    const who = holder
      ? `pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}`
      : "lock file present";
    throw new StateLockedError(file, who);
  }
  throw new StateLockedError(file, "lock file keeps reappearing");
}
