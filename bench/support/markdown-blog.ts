/** What the Eleventy and Astro build benchmarks share: flags and the generated Markdown posts. */
import { seededRandom } from "../../test/support/random.ts";

export { seededRandom };

/** A positive integer flag `--name N`, or the fallback. */
export function intFlag(bench: string, name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at === -1) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${bench}: --${name} needs a positive integer`);
  }
  return value;
}

/** `--pages 2000,10000` (or another flag name): the site sizes to run, or the fallback. */
export function sizesFlag(bench: string, fallback: readonly number[], name = "pages"): number[] {
  const at = process.argv.indexOf(`--${name}`);
  if (at === -1) return [...fallback];
  const sizes = String(process.argv[at + 1])
    .split(",")
    .map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size <= 0)) {
    throw new Error(`${bench}: --${name} needs positive integers, comma-separated`);
  }
  return sizes;
}

export const WORDS =
  "the of static site pingback link post reader writer build deploy page html markdown template layout server client request response archive feed comment reply quote author date title note essay draft series index tag category web open protocol spec endpoint target source".split(
    " ",
  );

const word = (next: () => number) => WORDS[Math.floor(next() * WORDS.length)] as string;

/**
 * One Markdown paragraph: `meanLinks` ± 2 external links (at least one), each after a
 * word or two; one link in twenty goes to the previous post instead.
 */
export function markdownParagraph(
  next: () => number,
  postIndex: number,
  meanLinks: number,
): string {
  const parts: string[] = [];
  const links = Math.max(1, meanLinks - 2 + Math.floor(next() * 5));
  for (let l = 0; l < links; l++) {
    const words = Array.from({ length: 1 + Math.floor(next() * 2) }, () => word(next));
    const host = `s${Math.floor(next() * 400)}.example`;
    const path = `${word(next)}/${Math.floor(next() * 1000)}`;
    const text = word(next);
    const link =
      next() < 0.05
        ? `[an older post](/posts/post-${Math.max(0, postIndex - 1)}/)`
        : `[${text}](https://${host}/${path})`;
    parts.push(`${words.join(" ")} ${link}`);
  }
  return `${parts.join(", ")}.`;
}

/**
 * A paragraph of `words` words with `links` external links on some of them: for posts
 * with fewer links than paragraphs (`--links-per-post`), about as long as a paragraph of
 * markdownParagraph, so the page stays about the same size.
 */
export function proseParagraph(next: () => number, words: number, links: number): string {
  const parts = Array.from({ length: words }, () => word(next));
  for (let l = 0; l < Math.min(links, words); l++) {
    // A word not linked yet: a link inside a link text is no link in Markdown.
    let at = Math.floor(next() * parts.length);
    while ((parts[at] as string).startsWith("[")) at = (at + 1) % parts.length;
    const host = `s${Math.floor(next() * 400)}.example`;
    parts[at] = `[${parts[at]}](https://${host}/${word(next)}/${Math.floor(next() * 1000)})`;
  }
  return `${parts.join(" ")}.`;
}
