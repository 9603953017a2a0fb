/** One received pingback (or webmention), vetted and normalised from a JF2 entry. */
export interface ReceivedEntry {
  /** The citing page (`wm-source`): an absolute http(s) URL. */
  source: string;
  /** Our page it links to (`wm-target`): an absolute http(s) URL. */
  target: string;
  /** `wm-protocol`: "pingback" or "webmention" (lower-cased), "" when absent. */
  protocol: string;
  /** `wm-property`, e.g. "mention-of", "in-reply-to"; "" when absent. */
  property: string;
  /** `wm-received` as an ISO 8601 string, or null when absent or not a date. */
  received: string | null;
  /** `published` as an ISO 8601 string, or null when absent or not a date. */
  published: string | null;
  /** The citing post's title (`name`), whitespace-collapsed, or null. */
  title: string | null;
  /** The citing post's author, when known; `photo` only when the source gave one (a URL, never fetched by readers unless `avatars` is set). */
  author: {
    name: string | null;
    url: string | null;
    photo?: string | null;
    /**
     * The site's own copy of `photo` (a path from the site root), when `received.avatars`
     * is on and the build saved it; set only by the build, never read from a feed.
     */
    avatar?: string;
  } | null;
  /** Plain text of the response (`content.text`), when the feed has it; shown for replies only. */
  excerpt?: string | null;
  /** The citing post's language (`lang`), a BCP 47 tag, or null. */
  lang: string | null;
}

/** A JF2 entry as webmention.io serves it; every field is untrusted. */
export interface Jf2Entry {
  "wm-source"?: unknown;
  "wm-target"?: unknown;
  "wm-property"?: unknown;
  "wm-protocol"?: unknown;
  "wm-received"?: unknown;
  "wm-id"?: unknown;
  author?: unknown;
  name?: unknown;
  published?: unknown;
  content?: unknown;
  lang?: unknown;
  url?: unknown;
  [key: string]: unknown;
}

/** The JF2 feed envelope (`{ type: "feed", children: [...] }`). */
export interface Jf2Feed {
  type?: string;
  children: Jf2Entry[];
}
