import type { ResolvedOptions } from "../options/types.ts";

/**
 * The spec's autodiscovery pattern (Pingback 1.0, section 2.3). Clients search for
 * exactly this, so the element we write must match it and nothing else on the page should.
 */
export const PINGBACK_LINK_PATTERN = /<link rel="pingback" href="([^"]+)" ?\/?>/;

const SPEC_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
};

function escapeHref(url: string): string {
  return url.replace(/[&<>"]/g, (c) => SPEC_ENTITIES[c] as string);
}

/**
 * `<link rel="pingback" href="URI">` in the exact form the spec requires: rel before
 * href, double quotes, and only the four entities the spec allows in the URI.
 */
export function pingbackLinkElement(endpoint: string): string {
  return `<link rel="pingback" href="${escapeHref(endpoint)}">`;
}

/**
 * `<link rel="webmention" href="URI">`. Webmention senders parse HTML properly, so any
 * well-formed element would do; the pingback element's form keeps the two alike.
 */
export function webmentionLinkElement(endpoint: string): string {
  return `<link rel="webmention" href="${escapeHref(endpoint)}">`;
}

/** What a spec-following client reads back from a matched href (expands the four entities). */
export function expandSpecEntities(value: string): string {
  return value.replace(/&(amp|lt|gt|quot);/g, (_, name: string) =>
    name === "amp" ? "&" : name === "lt" ? "<" : name === "gt" ? ">" : '"',
  );
}

/** The rel values of the endpoint elements a build writes. */
export type EndpointRel = "pingback" | "webmention";

/** One element a build inserts into the head of each page taking part. */
export interface HeadLinkElement {
  readonly rel: EndpointRel;
  /** The endpoint it advertises (absolute URL). */
  readonly endpoint: string;
  /** The element as written into the page. */
  readonly text: string;
}

/**
 * The link elements a build inserts, in the order written: Pingback's, then
 * Webmention's, leaving out each one the options turn off. A build session makes the
 * list once and hands it to every page, on every thread, so both sides insert the
 * same bytes.
 */
export function headLinkElements(
  options: Pick<ResolvedOptions, "endpoint" | "webmentionEndpoint">,
): HeadLinkElement[] {
  const elements: HeadLinkElement[] = [];
  if (options.endpoint !== null) {
    elements.push({
      rel: "pingback",
      endpoint: options.endpoint,
      text: pingbackLinkElement(options.endpoint),
    });
  }
  if (options.webmentionEndpoint !== null) {
    elements.push({
      rel: "webmention",
      endpoint: options.webmentionEndpoint,
      text: webmentionLinkElement(options.webmentionEndpoint),
    });
  }
  return elements;
}

/** The text inserted for `elements`: each element's text, in order. */
export function elementsText(elements: readonly HeadLinkElement[]): string {
  let text = "";
  for (const element of elements) text += element.text;
  return text;
}

/** Each element's text, in order: what a page's own elements are compared with. */
export function elementTexts(elements: readonly HeadLinkElement[]): string[] {
  return elements.map((element) => element.text);
}
