/**
 * Manifest pages without their content fingerprints, for tests about links: a
 * fingerprint is an opaque hash, checked by the tests about it, not spelled out.
 */
export function linkedPages(
  pages: Record<string, { pingback: boolean; links: string[]; contentHash?: string }>,
): Record<string, { pingback: boolean; links: string[] }> {
  return Object.fromEntries(
    Object.entries(pages).map(([url, page]) => [
      url,
      linkedPage(page) as { pingback: boolean; links: string[] },
    ]),
  );
}

/** One manifest page without its content fingerprint. */
export function linkedPage(
  page: { pingback: boolean; links: string[]; contentHash?: string } | undefined,
): { pingback: boolean; links: string[] } | undefined {
  if (page === undefined) return undefined;
  const { contentHash: _contentHash, ...rest } = page;
  return rest;
}
