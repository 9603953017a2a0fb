import { readManifest } from "@static-pingback/core";
import { deployedManifestUrl } from "./manifest-url.ts";
import { type RunSendOptions, runSend, type SendRun } from "./run-send.ts";
import { buildRunSummary } from "./summary/build-summary.ts";
import { cleanLine } from "./summary/clean.ts";
import { HELD_PAGES_LIMIT, heldAtBuild } from "./summary/held-at-build.ts";
import type { RunSummary } from "./summary/model.ts";
import { waitForDeployedManifest } from "./wait-for-manifest.ts";

export interface SendAfterDeployOptions extends RunSendOptions {
  /** The deployed site, when not the manifest's `site`. */
  siteUrl?: string | undefined;
  /** The deployed `pingback-manifest.json`, when not under the site. */
  manifestUrl?: string | undefined;
  /** Bounded wait for the deploy, in seconds; 0 checks once. */
  waitTimeoutSeconds: number;
  /** First pause between deploy checks. Default 1 s. */
  firstWaitIntervalMs?: number;
}

export type SendAfterDeployResult =
  | { status: "not-live"; message: string }
  | { status: "done"; run: SendRun; summary: RunSummary };

/**
 * What CI does after a deploy: wait (bounded) until the deployed site serves this
 * build's manifest, so receivers that fetch the source find the new page, then run
 * send and tell the story. A dry run sends nothing and does not wait.
 */
export async function sendAfterDeploy(
  options: SendAfterDeployOptions,
): Promise<SendAfterDeployResult> {
  const notes: string[] = [];
  let manifest: Awaited<ReturnType<typeof readManifest>>;
  try {
    manifest = await readManifest(options.dir);
  } catch (error) {
    // send reports the same problem in its own words; the summary shows both.
    manifest = undefined;
    notes.push(`The manifest could not be read: ${cleanLine((error as Error).message, 400)}`);
  }
  if (manifest && !options.dryRun) {
    const url = deployedManifestUrl({
      manifestUrl: options.manifestUrl,
      siteUrl: options.siteUrl,
      manifestSite: manifest.site,
    });
    options.log?.(
      `Waiting up to ${options.waitTimeoutSeconds} s for ${url} to serve this build's manifest`,
    );
    const wait = await waitForDeployedManifest({
      url,
      generatedAt: manifest.generatedAt,
      timeoutMs: options.waitTimeoutSeconds * 1000,
      ...(options.firstWaitIntervalMs === undefined
        ? {}
        : { firstIntervalMs: options.firstWaitIntervalMs }),
      onWaiting: (seen) => options.log?.(`  not yet: ${seen}`),
    });
    if (!wait.ready) {
      return {
        status: "not-live",
        message: `The deployed site did not serve this build's manifest within ${options.waitTimeoutSeconds} s (${url}; last seen: ${wait.lastSeen}). Nothing was sent; the next run sends these links.`,
      };
    }
    notes.push(
      `Deploy check: ${url} serves this build's manifest (${wait.checks} ${wait.checks === 1 ? "check" : "checks"}, ${(wait.waitedMs / 1000).toFixed(1)} s).`,
    );
  }
  const run = await runSend(options);
  const summary = buildRunSummary(run, notes);
  await addHeldAtBuild(summary, options.dir);
  return { status: "done", run, summary };
}

/** Why links of the changed pages are not pairs; a problem here never fails the step. */
async function addHeldAtBuild(summary: RunSummary, dir: string): Promise<void> {
  try {
    const held = await heldAtBuild(dir);
    summary.heldAtBuild = held.links;
    if (held.pagesLeftOut > 0) {
      summary.notes.push(
        `Build-time reasons are shown for the first ${HELD_PAGES_LIMIT} changed pages; ${held.pagesLeftOut} more: run \`static-pingback explain\`.`,
      );
    }
  } catch (error) {
    summary.notes.push(
      `Could not tell why links were left out at build time: ${cleanLine((error as Error).message, 400)}`,
    );
  }
}
