/** What processing one built page gives. */
export interface PageResult {
  /** The page with the pingback link element; identical to the input when `changed` is false. */
  html: string;
  /** True when the link element was inserted. */
  changed: boolean;
  /**
   * What was inserted where (offset in the input), when `changed`: `html` is the input
   * with `text` spliced in at `offset`. Lets a caller that holds the input (say, across
   * a worker boundary) rebuild `html` without copying the page back.
   */
  insertion: { offset: number; text: string } | null;
  /** True when the page is pingback-enabled (advertises an endpoint, ours or its own). */
  pingback: boolean;
  /** Outbound link targets of the post content, resolved, de-duplicated, first-seen order. */
  links: string[];
  /**
   * The content selector whose matches are the post content (the first of the list that
   * matched anything), null when none did or the page does not take part.
   */
  scope: string | null;
  /**
   * Fingerprint of the post content (see content-fingerprint.ts), null when no content
   * selector matched or the page does not take part.
   */
  contentHash: string | null;
  /** Problems worth telling the user (an existing, different pingback link, …). */
  warnings: string[];
}
