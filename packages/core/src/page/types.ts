/** What processing one built page gives. */
export interface PageResult {
  /** The page with the pingback link element; identical to the input when `changed` is false. */
  html: string;
  /** True when the link element was inserted. */
  changed: boolean;
  /** True when the page is pingback-enabled (advertises an endpoint, ours or its own). */
  pingback: boolean;
  /** Outbound link targets of the post content, resolved, de-duplicated, first-seen order. */
  links: string[];
  /** Problems worth telling the user (an existing, different pingback link, …). */
  warnings: string[];
}
