import type { StoredPingback } from "../store/types.ts";

/** One entry of the export, in webmention.io's JF2 shape. */
export interface Jf2ExportEntry {
  type: "entry";
  author: { type: "card"; name: string; url: string; photo: string };
  url: string;
  published: string | null;
  "wm-received": string;
  "wm-id": number;
  "wm-source": string;
  "wm-target": string;
  "wm-protocol": "pingback";
  "wm-property": "mention-of";
  "wm-private": false;
  "mention-of": string;
  name?: string;
  content?: { text: string };
  lang?: string;
}

export interface Jf2Feed {
  type: "feed";
  name: string;
  children: Jf2ExportEntry[];
}

/** A stored, approved pingback as webmention.io would serve it. */
export function toJf2Entry(pingback: StoredPingback): Jf2ExportEntry {
  const { post } = pingback;
  const entry: Jf2ExportEntry = {
    type: "entry",
    author: {
      type: "card",
      name: post.authorName ?? "",
      url: post.authorUrl ?? "",
      photo: "",
    },
    url: pingback.source,
    published: post.published,
    "wm-received": pingback.receivedAt,
    "wm-id": pingback.id,
    "wm-source": pingback.source,
    "wm-target": pingback.target,
    "wm-protocol": "pingback",
    "wm-property": "mention-of",
    "wm-private": false,
    "mention-of": pingback.target,
  };
  if (post.title) entry.name = post.title;
  if (post.excerpt) entry.content = { text: post.excerpt };
  if (post.lang) entry.lang = post.lang;
  return entry;
}

export function toJf2Feed(pingbacks: readonly StoredPingback[]): Jf2Feed {
  return { type: "feed", name: "Pingbacks", children: pingbacks.map(toJf2Entry) };
}
