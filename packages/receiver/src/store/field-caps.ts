import type { CitingPost } from "./types.ts";

/**
 * Longest value stored per field, in UTF-16 code units. URLs follow the
 * renderer's 2,048 (a longer one is dropped, since a cut URL points elsewhere);
 * text is cut. Extraction already keeps to these; this is the store's own bound,
 * so no source page can grow a row past a few kilobytes.
 */
export const FIELD_CAPS = {
  url: 2048,
  title: 200,
  authorName: 200,
  excerpt: 500,
  published: 40,
  lang: 35,
  clientIp: 64,
} as const;

function boundUrl(value: string | null | undefined): string | null {
  return value == null || value.length > FIELD_CAPS.url ? null : value;
}

function cut(value: string | null, max: number): string | null {
  return value === null || value.length <= max ? value : value.slice(0, max);
}

/** The post as stored: every field within FIELD_CAPS. */
export function boundPost(post: CitingPost): CitingPost {
  return {
    title: cut(post.title, FIELD_CAPS.title),
    authorName: cut(post.authorName, FIELD_CAPS.authorName),
    authorUrl: boundUrl(post.authorUrl),
    authorPhoto: boundUrl(post.authorPhoto),
    property: post.property ?? "mention-of",
    published: cut(post.published, FIELD_CAPS.published),
    lang: cut(post.lang, FIELD_CAPS.lang),
    excerpt: cut(post.excerpt, FIELD_CAPS.excerpt),
  };
}
