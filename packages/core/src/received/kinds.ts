import type { ReceivedEntry } from "./types.ts";

/**
 * How a received entry is shown: replies as comments, likes and reposts as a
 * row of names, everything else (bookmarks, mentions, pingbacks) as a citing post.
 */
export type ResponseKind = "reply" | "like" | "repost" | "mention";

/** The kind of an entry from its `wm-property` (webmention.io's and our receiver's names). */
export function kindOf(entry: Pick<ReceivedEntry, "property">): ResponseKind {
  switch (entry.property) {
    case "in-reply-to":
      return "reply";
    case "like-of":
      return "like";
    case "repost-of":
      return "repost";
    default:
      return "mention";
  }
}

export interface GroupedEntries {
  replies: ReceivedEntry[];
  likes: ReceivedEntry[];
  reposts: ReceivedEntry[];
  /** Bookmarks, mentions and pingbacks: posts that cite the page. */
  mentions: ReceivedEntry[];
}

/** Entries by kind, each group keeping the order it was given (oldest first after normalising). */
export function groupByKind(entries: readonly ReceivedEntry[]): GroupedEntries {
  const groups: GroupedEntries = { replies: [], likes: [], reposts: [], mentions: [] };
  const into = { reply: "replies", like: "likes", repost: "reposts", mention: "mentions" } as const;
  for (const entry of entries) groups[into[kindOf(entry)]].push(entry);
  return groups;
}
