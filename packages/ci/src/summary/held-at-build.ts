import { readOutbox } from "@static-pingback/core";
import { explainBuild } from "@static-pingback/core/explain";
import { cleanLine } from "./clean.ts";
import type { HeldLink } from "./model.ts";

/**
 * How many changed pages the summary re-reads to tell why their links were not sent.
 * Each is a full parse of a built page; a first build of a large site changes every
 * page, and the summary is a story, not an audit (`static-pingback explain` is).
 */
export const HELD_PAGES_LIMIT = 100;

export interface HeldAtBuild {
  links: HeldLink[];
  /** Changed pages not read because of the limit. */
  pagesLeftOut: number;
}

/**
 * The content links of the pages this build added or changed (the outbox) that did not
 * become pairs, from `explain`: `excluded` by an `excludeLinks` matcher, or `same-site`.
 * Empty after a first build, and when the build wrote no record or no outbox.
 */
export async function heldAtBuild(stateDir: string): Promise<HeldAtBuild> {
  const outbox = await readOutbox(stateDir);
  // A first build changes every page and sends nothing: no news to explain.
  if (!outbox || outbox.previousGeneratedAt === null) return { links: [], pagesLeftOut: 0 };
  const changed = [...new Set([...outbox.pagesAdded, ...outbox.added.map((pair) => pair.source)])];
  const pages = changed.slice(0, HELD_PAGES_LIMIT);
  const explanation = await explainBuild({ stateDir, pages });
  const links: HeldLink[] = [];
  for (const page of explanation.pages) {
    for (const link of page.links ?? []) {
      if (link.target === undefined) continue;
      const target = cleanLine(link.target, 300);
      if (link.reason === "excluded-by") {
        const by = link.detail ? ` (${cleanLine(link.detail, 200)})` : "";
        links.push({ source: page.url, target, outcome: "excluded", reason: `excluded${by}` });
      } else if (link.reason === "same-site") {
        links.push({ source: page.url, target, outcome: "same-site", reason: "same-site" });
      }
    }
  }
  return { links, pagesLeftOut: changed.length - pages.length };
}
