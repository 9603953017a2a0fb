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

/**
 * `<link rel="pingback" href="URI">` in the exact form the spec requires: rel before
 * href, double quotes, and only the four entities the spec allows in the URI.
 */
export function pingbackLinkElement(endpoint: string): string {
  return `<link rel="pingback" href="${endpoint.replace(/[&<>"]/g, (c) => SPEC_ENTITIES[c] as string)}">`;
}

/** What a spec-following client reads back from a matched href (expands the four entities). */
export function expandSpecEntities(value: string): string {
  return value.replace(/&(amp|lt|gt|quot);/g, (_, name: string) =>
    name === "amp" ? "&" : name === "lt" ? "<" : name === "gt" ? ">" : '"',
  );
}
