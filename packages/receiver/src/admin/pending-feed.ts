import type { StoredPingback } from "../store/types.ts";

/** At most this many pending mentions in the feed, newest first. */
export const FEED_SIZE = 50;

const XML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** Escaped for XML text and attributes; characters XML 1.0 forbids are dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/[&<>"']/g, (char) => XML_ESCAPES[char] as string);
}

export interface FeedContext {
  /** The site the mentions are for: names the feed and its ids. */
  site: URL;
  /** Where the owner moderates (the admin page, no key in it). */
  pageUrl: string;
  /** When the newest change happened (ISO). */
  updated: string;
}

function entryXml(row: StoredPingback, site: URL): string {
  const post = row.post;
  const title = `${row.sourceHost}: ${post.title ?? row.source}`;
  const author = post.authorName ?? row.sourceHost;
  const link = /^https?:\/\//i.test(row.source)
    ? `\n    <link rel="alternate" href="${escapeXml(row.source)}"/>`
    : "";
  const summary = `${post.excerpt ? `${post.excerpt}\n` : ""}${post.property ?? "mention-of"} ${row.target} by ${row.protocol} (${row.verification})`;
  return `  <entry>
    <id>tag:${escapeXml(site.hostname)},2026:static-pingback/mention/${row.id}</id>
    <title>${escapeXml(title)}</title>
    <updated>${escapeXml(row.receivedAt)}</updated>
    <author><name>${escapeXml(author)}</name></author>${link}
    <summary>${escapeXml(summary)}</summary>
  </entry>`;
}

/**
 * The pending mentions as an Atom feed, so any feed reader tells the owner that one is
 * waiting. Everything in it came from strangers and is escaped; it holds no key.
 */
export function pendingFeed(rows: readonly StoredPingback[], context: FeedContext): string {
  const entries = rows.map((row) => entryXml(row, context.site)).join("\n");
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>tag:${escapeXml(context.site.hostname)},2026:static-pingback/pending</id>
  <title>Pending mentions of ${escapeXml(context.site.host)}</title>
  <updated>${escapeXml(context.updated)}</updated>
  <link rel="alternate" href="${escapeXml(context.pageUrl)}"/>
  <generator>static-pingback</generator>
${entries}
</feed>
`;
}
