import { DEFAULT_CONTENT_SELECTOR } from "@static-pingback/core";

/** The name Starlight registers its integration under. */
export const STARLIGHT_INTEGRATION = "@astrojs/starlight";

/**
 * Starlight renders a page's Markdown into this container. Its `<main>` also holds the
 * page footer ("Edit page" link to the repository, pagination), and it has no
 * `<article>`, so the generic defaults would ping the repository from every page.
 */
export const STARLIGHT_CONTENT_SELECTOR: readonly string[] = [
  ".sl-markdown-content",
  // Pages of the site that are not Starlight's (own src/pages routes) get the defaults.
  ...DEFAULT_CONTENT_SELECTOR,
];

/** Whether the site is built with Starlight, judged by its integration list. */
export function usesStarlight(integrations: readonly { name: string }[]): boolean {
  return integrations.some((integration) => integration.name === STARLIGHT_INTEGRATION);
}
