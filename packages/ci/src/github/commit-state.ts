import { execFile } from "node:child_process";
import { relative, resolve } from "node:path";
import { promisify } from "node:util";
import { STATE_FILE } from "@static-pingback/core/send";

const run = promisify(execFile);

/** The identity GitHub shows as "github-actions[bot]". */
export const BOT_NAME = "github-actions[bot]";
export const BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com";
/** `[skip ci]` keeps the commit from starting the workflow that made it. */
export const COMMIT_MESSAGE = "static-pingback: record sent pingbacks [skip ci]";

export interface CommitStateOptions {
  /** The checkout (where the workflow runs git). */
  cwd: string;
  /** State directory, relative to cwd or absolute. */
  stateDir: string;
  /** Branch to push to. */
  branch: string;
  remote?: string;
}

export type CommitStateResult =
  | { committed: false; reason: string }
  | { committed: true; commit: string; branch: string };

/** git's -c flags that make the bot the author and committer of a commit or a rebase. */
const AS_BOT = ["-c", `user.name=${BOT_NAME}`, "-c", `user.email=${BOT_EMAIL}`];

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run("git", args, { cwd, maxBuffer: 4 * 1024 * 1024 });
  return stdout.trim();
}

/**
 * Commits `state.json` alone (whatever else the job changed stays uncommitted) with the
 * bot identity and pushes it. When the branch moved meanwhile, rebases once and pushes
 * again; a second refusal is an error for the workflow's concurrency group to prevent.
 */
export async function commitState(options: CommitStateOptions): Promise<CommitStateResult> {
  const { cwd, branch } = options;
  const remote = options.remote ?? "origin";
  const path = relative(cwd, resolve(cwd, options.stateDir, STATE_FILE));
  await git(cwd, ["add", "--", path]);
  const staged = await git(cwd, ["diff", "--cached", "--name-only", "--", path]);
  if (staged === "") return { committed: false, reason: `${path} is unchanged in git` };
  await git(cwd, [...AS_BOT, "commit", "--no-verify", "-m", COMMIT_MESSAGE, "--", path]);
  const target = `HEAD:refs/heads/${branch}`;
  try {
    await git(cwd, ["push", remote, target]);
  } catch {
    await git(cwd, ["fetch", remote, branch]);
    try {
      await git(cwd, [...AS_BOT, "rebase", "FETCH_HEAD"]);
    } catch (error) {
      await git(cwd, ["rebase", "--abort"]).catch(() => undefined);
      throw new Error(
        `${branch} changed ${path} meanwhile (another run?): put the workflow in a concurrency group. ${(error as Error).message}`,
      );
    }
    await git(cwd, ["push", remote, target]);
  }
  return { committed: true, commit: await git(cwd, ["rev-parse", "HEAD"]), branch };
}
