import type { MentionProperty, MentionProtocol, StoredPingback } from "../store/types.ts";

/**
 * One entry of the export, in webmention.io's JF2 shape: the kind of response
 * is `wm-property`, and the property of that name holds the target.
 */
export interface Jf2ExportEntry {
  type: "entry";
  author: { type: "card"; name: string; url: string; photo: string };
  url: string;
  published: string | null;
  "wm-received": string;
  "wm-id": number;
  "wm-source": string;
  "wm-target": string;
  "wm-protocol": MentionProtocol;
  "wm-property": MentionProperty;
  "wm-private": false;
  "in-reply-to"?: string;
  "like-of"?: string;
  "repost-of"?: string;
  "bookmark-of"?: string;
  "mention-of"?: string;
  name?: string;
  content?: { text: string };
  lang?: string;
}

export interface Jf2Feed {
  type: "feed";
  name: string;
  children: Jf2ExportEntry[];
}

/** A stored, approved mention as webmention.io would serve it. */
export function toJf2Entry(pingback: StoredPingback): Jf2ExportEntry {
  const { post } = pingback;
  const property = post.property ?? "mention-of";
  const entry: Jf2ExportEntry = {
    type: "entry",
    author: {
      type: "card",
      name: post.authorName ?? "",
      url: post.authorUrl ?? "",
      photo: post.authorPhoto ?? "",
    },
    url: pingback.source,
    published: post.published,
    "wm-received": pingback.receivedAt,
    "wm-id": pingback.id,
    "wm-source": pingback.source,
    "wm-target": pingback.target,
    "wm-protocol": pingback.protocol,
    "wm-property": property,
    "wm-private": false,
    [property]: pingback.target,
  };
  if (post.title) entry.name = post.title;
  if (post.excerpt) entry.content = { text: post.excerpt };
  if (post.lang) entry.lang = post.lang;
  return entry;
}

export function toJf2Feed(pingbacks: readonly StoredPingback[]): Jf2Feed {
  return { type: "feed", name: "Pingbacks", children: pingbacks.map(toJf2Entry) };
}
