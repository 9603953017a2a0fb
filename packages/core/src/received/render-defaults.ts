/**
 * Class names of the markup, for theming (the default stylesheet,
 * `@static-pingback/core/pingbacks.css`, uses them). BEM-style block `pingbacks`; the
 * microformats classes (`h-cite`, `u-url`, `p-name`, `p-author`, `h-card`,
 * `dt-published`) are always present as well.
 */
export const PINGBACK_CLASSES = {
  section: "pingbacks",
  sectionEmpty: "pingbacks pingbacks--empty",
  heading: "pingbacks__heading",
  list: "pingbacks__list",
  item: "pingbacks__item",
  title: "pingbacks__title",
  meta: "pingbacks__meta",
  author: "pingbacks__author",
  date: "pingbacks__date",
  site: "pingbacks__site",
  empty: "pingbacks__empty",
  group: "pingbacks__group",
  groupHeading: "pingbacks__group-heading",
  count: "pingbacks__count",
  replies: "pingbacks__replies",
  reply: "pingbacks__reply",
  replyMeta: "pingbacks__reply-meta",
  permalink: "pingbacks__permalink",
  excerpt: "pingbacks__excerpt",
  people: "pingbacks__people",
  person: "pingbacks__person",
  avatar: "pingbacks__avatar",
} as const;

export const DEFAULTS = {
  heading: "Posts linking here",
  mixedHeading: "Responses",
  groupHeadings: { replies: "Replies", likes: "Likes", reposts: "Reposts", mentions: "Mentions" },
  repliedText: "replied",
  maxExcerptLength: 280,
  headingLevel: 2,
  maxTitleLength: 140,
  maxNameLength: 80,
  maxEntries: 100,
  byText: "by",
  onText: "on",
};
