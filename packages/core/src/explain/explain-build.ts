import { readFile } from "node:fs/promises";
import { readManifest, readOutbox } from "../manifest/manifest-files.ts";
import type { Manifest } from "../manifest/types.ts";
import type { Protocol } from "../send/discover.ts";
import { type PairDecision, planSend } from "../send/plan.ts";
import { readState } from "../send/state-store.ts";
import { pairKey, type StateEntry } from "../send/state-types.ts";
import { type RecordedOptions, readBuildRecord, restoreOptions } from "./build-record.ts";
import { findPageFile } from "./page-file.ts";
import { type ExplainedLink, explainPageLinks } from "./page-links.ts";

/** A pair of the page, in the manifest or known to state, and what the next `send` does with it. */
export interface ExplainedPair {
  target: string;
  /** The sender's own decision (planSend), so explain and `send --dry-run` never disagree. */
  step: Pick<PairDecision, "action" | "why" | "nextAttemptAt">;
  /** The protocol state knows for it. */
  protocol?: Protocol;
  /** State's entry, when it has one. */
  entry?: StateEntry;
}

export interface ExplainedPage {
  url: string;
  /** Whether the page takes part (advertises the endpoint); from the manifest when it has the page. */
  enabled: boolean;
  inManifest: boolean;
  /** The built file the links were read from. */
  file?: string;
  /** The content selector that gave the post content. */
  scope?: string | null;
  /** Every link of the page and why it is or is not a pair; absent when the file was not read. */
  links?: ExplainedLink[];
  pairs: ExplainedPair[];
  /** Why the links could not be explained, or where the file and the manifest disagree. */
  notes: string[];
}

export interface Explanation {
  site?: string;
  /** When the manifest was built. */
  builtAt?: string;
  pages: ExplainedPage[];
  /** About the whole build: no manifest, no build record, unreadable state… */
  notes: string[];
}

export interface ExplainOptions {
  stateDir: string;
  /** One page: an absolute URL or a path on the site; all pages of the manifest when absent. */
  page?: string;
  /** Several pages, as `page`; ignored when `page` is given. */
  pages?: readonly string[];
  /** Where the built pages are, overriding the build record. */
  outputDir?: string;
  now?: Date;
  onWarning?: (message: string) => void;
}

function pageUrlOf(page: string, manifest: Manifest | undefined): string {
  const site = manifest?.site;
  const url = URL.parse(page) ?? (site ? URL.parse(page, site) : null);
  if (url === null) return page;
  url.hash = "";
  const exact = url.href;
  if (!manifest || exact in manifest.pages) return exact;
  // "/posts/a" for "/posts/a/", and the other way round.
  const other = exact.endsWith("/") ? exact.slice(0, -1) : `${exact}/`;
  return other in manifest.pages ? other : exact;
}

/**
 * Explains a build, page by page: every link of each built page and why it is or is not
 * a pair (re-reading the built file with the options the build recorded), then each
 * pair's state and what the next `send` does with it.
 */
export async function explainBuild(options: ExplainOptions): Promise<Explanation> {
  const { stateDir } = options;
  const [manifest, outbox, record, state] = await Promise.all([
    readManifest(stateDir),
    readOutbox(stateDir),
    readBuildRecord(stateDir),
    readState(stateDir, options.onWarning ? { onWarning: options.onWarning } : {}),
  ]);
  const explanation: Explanation = { pages: [], notes: [] };
  if (manifest) {
    explanation.site = manifest.site;
    explanation.builtAt = manifest.generatedAt;
  } else {
    explanation.notes.push(`no manifest.json in ${stateDir}: run a build with the plugin first`);
  }
  const recorded = record ? restoreOptions(record, stateDir) : undefined;
  if (!record) {
    explanation.notes.push(
      `no build-record.json in ${stateDir} (a watch or serve run, or a build by an older version): links are not explained, only pairs`,
    );
  }
  if (recorded && recorded.unknownExcludes.length > 0) {
    explanation.notes.push(
      `excludeLinks holds ${recorded.unknownExcludes.length === 1 ? "a function" : "functions"} (${recorded.unknownExcludes.join(", ")}) that explain cannot run again: a link it finds that the manifest lacks is put down to them`,
    );
  }
  const outputDir = options.outputDir ?? recorded?.outputDir;

  const entries = new Map(
    (state?.pairs ?? []).map((entry) => [pairKey(entry.source, entry.target), entry]),
  );
  const plan = planSend({
    manifest,
    outbox,
    state: entries,
    stateExisted: state !== undefined,
    all: false,
    now: options.now ?? new Date(),
  });
  const decisions = new Map<string, PairDecision[]>();
  for (const decision of plan.decisions) {
    const list = decisions.get(decision.source) ?? [];
    list.push(decision);
    decisions.set(decision.source, list);
  }

  const asked = options.page !== undefined ? [options.page] : options.pages;
  const urls = asked
    ? [...new Set(asked.map((page) => pageUrlOf(page, manifest)))]
    : Object.keys(manifest?.pages ?? {});
  for (const url of urls) {
    const page = await explainPage(url, { manifest, recorded, outputDir, entries, decisions });
    explanation.pages.push(page);
  }
  return explanation;
}

interface PageContext {
  manifest: Manifest | undefined;
  recorded: RecordedOptions | undefined;
  outputDir: string | undefined;
  entries: ReadonlyMap<string, StateEntry>;
  /** The plan's decisions by source page. */
  decisions: ReadonlyMap<string, readonly PairDecision[]>;
}

async function explainPage(url: string, context: PageContext): Promise<ExplainedPage> {
  const entry = context.manifest?.pages[url];
  const page: ExplainedPage = {
    url,
    enabled: entry?.pingback ?? false,
    inManifest: entry !== undefined,
    pairs: [],
    notes: [],
  };
  if (!entry && context.manifest) page.notes.push("not a page of the last build's manifest");
  const manifestLinks = new Set(entry?.links ?? []);
  for (const decision of context.decisions.get(url) ?? []) {
    const known = context.entries.get(pairKey(url, decision.target));
    const step: ExplainedPair["step"] = { action: decision.action, why: decision.why };
    if (decision.nextAttemptAt !== undefined) step.nextAttemptAt = decision.nextAttemptAt;
    const pair: ExplainedPair = { target: decision.target, step };
    if (decision.protocol !== undefined) pair.protocol = decision.protocol;
    if (known) pair.entry = known;
    page.pairs.push(pair);
  }
  if (context.recorded && context.outputDir !== undefined && (entry?.pingback ?? true)) {
    await readLinks(page, url, manifestLinks, context.recorded, context.outputDir);
  }
  return page;
}

async function readLinks(
  page: ExplainedPage,
  url: string,
  manifestLinks: ReadonlySet<string>,
  recorded: RecordedOptions,
  outputDir: string,
): Promise<void> {
  const pageUrl = URL.parse(url);
  if (pageUrl === null) return;
  const file = await findPageFile(pageUrl, recorded.options.site, outputDir);
  if (file === undefined) {
    page.notes.push(`no built file for this page in ${outputDir}`);
    return;
  }
  const explained = explainPageLinks(await readFile(file, "utf8"), pageUrl, recorded.options);
  page.file = file;
  page.scope = explained.scope;
  if (!page.inManifest) page.enabled = explained.enabled;
  const found = new Set<string>();
  for (const link of explained.links) {
    if (link.reason !== "in-manifest" || link.target === undefined) continue;
    found.add(link.target);
    if (manifestLinks.has(link.target) || !page.inManifest) continue;
    if (recorded.unknownExcludes.length > 0) {
      link.reason = "excluded-by";
      link.detail = `a function (${recorded.unknownExcludes.join(", ")})`;
    } else {
      page.notes.push(`${link.target} is in the built file but not in the manifest: rebuild`);
    }
  }
  for (const target of manifestLinks) {
    if (!found.has(target))
      page.notes.push(`${target} is in the manifest but not in the built file: rebuild`);
  }
  page.links = explained.links;
}
