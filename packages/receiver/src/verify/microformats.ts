import { mf2 } from "microformats-parser";
import type { CitingPost, MentionProperty } from "../store/types.ts";
import { normaliseUri } from "../uri.ts";
import { isoDate, MAX_AUTHOR_LENGTH, MAX_TITLE_LENGTH, safeHttpUrl } from "./metadata.ts";
import { resolveHref } from "./resolve-href.ts";
import { collapse, truncate } from "./text.ts";

type Root = ReturnType<typeof mf2>["items"][number];
type Property = Root["properties"][string][number];

/** Longest reply excerpt kept, in characters of plain text. */
export const MAX_REPLY_EXCERPT_LENGTH = 280;

/** Response properties, most specific first: the first one naming the target decides the kind. */
const RESPONSES: readonly MentionProperty[] = [
  "in-reply-to",
  "like-of",
  "repost-of",
  "bookmark-of",
];

/** What the microformats2 of a source say about the entry that cites the target. */
export type MicroformatFacts = Pick<
  CitingPost,
  "property" | "authorName" | "authorUrl" | "authorPhoto" | "published" | "title" | "excerpt"
>;

const isRoot = (value: Property | undefined): value is Root =>
  typeof value === "object" && value !== null && "properties" in value;

function text(value: Property | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string") return value;
  if (isRoot(value)) {
    const inner = value.value;
    return typeof inner === "string" ? inner : text(value.properties.name?.[0]);
  }
  return value.value;
}

/** A property value as a URL: a string, an `{value, alt}` image, or an embedded h-cite's url. */
function urlOf(value: Property | undefined, base: string): string | null {
  if (value === undefined) return null;
  if (isRoot(value)) return urlOf(value.properties.url?.[0] ?? value.value, base);
  return safeHttpUrl(typeof value === "string" ? value : value.value, base);
}

function matches(url: string | null, targets: ReadonlySet<string>): boolean {
  if (!url) return false;
  try {
    return targets.has(normaliseUri(new URL(url)));
  } catch {
    return false;
  }
}

/** The kind of response of `entry` to one of `targets`, or undefined when none names it. */
function responseTo(entry: Root, base: string, targets: ReadonlySet<string>) {
  return RESPONSES.find((property) =>
    (entry.properties[property] ?? []).some((value) => matches(urlOf(value, base), targets)),
  );
}

/** Whether the entry's `e-content` holds a link to a target (the parser serialises `href="…"`). */
function contentLinks(entry: Root, base: string, targets: ReadonlySet<string>): boolean {
  for (const value of entry.properties.content ?? []) {
    if (typeof value !== "object" || !("html" in value)) continue;
    for (const match of value.html.matchAll(/\bhref="([^"]*)"/g)) {
      const url = resolveHref((match[1] ?? "").replaceAll("&amp;", "&"), base);
      if (url && targets.has(normaliseUri(url))) return true;
    }
  }
  return false;
}

/** Every h-entry of the page, children included, in document order (iterative: no deep recursion). */
function entries(items: readonly Root[]): Root[] {
  const found: Root[] = [];
  const stack = [...items].reverse();
  while (stack.length > 0) {
    const item = stack.pop() as Root;
    if (item.type?.includes("h-entry")) found.push(item);
    for (const child of [...(item.children ?? [])].reverse()) stack.push(child);
  }
  return found;
}

function card(value: Property | undefined, base: string) {
  if (value === undefined) return undefined;
  if (typeof value === "string") {
    const url = safeHttpUrl(value, base);
    return url ? { name: null, url, photo: null } : { name: value, url: null, photo: null };
  }
  if (!isRoot(value)) return undefined;
  return {
    name: text(value.properties.name?.[0]) ?? null,
    url: urlOf(value.properties.url?.[0], base),
    photo: urlOf(value.properties.photo?.[0], base),
  };
}

function clean(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  const folded = collapse(value);
  return folded === "" ? null : truncate(folded, max);
}

/**
 * Reads the microformats2 of a source page (already bounded: at most the scan's
 * bytes, elements and depth, see SCAN_LIMITS): the h-entry whose response
 * property names a target, else whose content links to one, else the first.
 * Undefined when the page has no h-entry: the caller keeps the plain-HTML facts.
 */
export function readMicroformats(
  html: string,
  base: string,
  targets: ReadonlySet<string>,
): MicroformatFacts | undefined {
  let parsed: ReturnType<typeof mf2>;
  try {
    parsed = mf2(html, { baseUrl: base });
  } catch {
    return undefined;
  }
  const all = entries(parsed.items);
  if (all.length === 0) return undefined;
  let entry: Root | undefined;
  let property: MentionProperty | undefined;
  for (const candidate of all) {
    property = responseTo(candidate, base, targets);
    if (property) {
      entry = candidate;
      break;
    }
  }
  entry ??= all.find((candidate) => contentLinks(candidate, base, targets)) ?? (all[0] as Root);
  const kind = property ?? "mention-of";
  const author =
    card(entry.properties.author?.[0], base) ??
    card(
      parsed.items.find((item) => item.type?.includes("h-card")),
      base,
    );
  const content = text(entry.properties.content?.[0]);
  const name = text(entry.properties.name?.[0]);
  // A note's implied name is its content: no title then.
  const title = name && content && collapse(name) === collapse(content) ? null : name;
  return {
    property: kind,
    authorName: clean(author?.name, MAX_AUTHOR_LENGTH),
    authorUrl: author?.url ?? null,
    authorPhoto: author?.photo ?? null,
    published: isoDate(text(entry.properties.published?.[0])),
    title: clean(title, MAX_TITLE_LENGTH),
    excerpt: kind === "in-reply-to" ? clean(content, MAX_REPLY_EXCERPT_LENGTH) : null,
  };
}
