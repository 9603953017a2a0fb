import { pick, seededRandom } from "./random.ts";

/**
 * A generated blog, as the benchmarks describe it: ~12 KB pages with nav and footer
 * chrome and 25 paragraphs holding ~8 external links each, inside h-entry markup.
 */
export interface CorpusPage {
  url: string;
  html: string;
}

const WORDS =
  "static site pingback link post reader writer web blog note idea build deploy server page archive feed html parser spec client target source".split(
    " ",
  );
const HOSTS = Array.from({ length: 60 }, (_, k) => `site${k}.example`);

function sentence(random: () => number, words: number): string {
  return Array.from({ length: words }, () => pick(random, WORDS)).join(" ");
}

export function corpusParagraph(random: () => number, links: number): string {
  const parts: string[] = [];
  for (let k = 0; k < links; k++) {
    const host = pick(random, HOSTS);
    const path = `/${pick(random, WORDS)}/${Math.floor(random() * 500)}/`;
    parts.push(
      `${sentence(random, 1)} <a href="https://${host}${path}">${sentence(random, 1)}</a>`,
    );
  }
  return `<p>${parts.join(", ")}.</p>`;
}

export function corpusPage(index: number, site = "https://blog.example"): CorpusPage {
  const random = seededRandom(index + 1);
  const slug = `post-${index}`;
  const paragraphs = Array.from({ length: 25 }, () => corpusParagraph(random, 8)).join("\n");
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Post ${index}: ${sentence(random, 4)}</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/atom+xml" href="/feed.xml">
</head>
<body>
<header class="site-header">
<nav><ul><li><a href="/">Home</a></li><li><a href="/archive/">Archive</a></li><li><a href="/about/">About</a></li><li><a href="https://github.com/example/blog">Source</a></li><li><a href="https://social.example/@me">Mastodon</a></li></ul></nav>
</header>
<main>
<article class="h-entry">
<h1 class="p-name">Post ${index}</h1>
<p class="meta"><time class="dt-published" datetime="2024-01-01">1 January 2024</time> by <a class="p-author h-card" href="/">Me</a></p>
<div class="e-content">
${paragraphs}
</div>
<footer><a class="u-url" href="${site}/posts/${slug}/">Permalink</a></footer>
</article>
</main>
<footer class="site-footer"><p>Built with <a href="https://www.11ty.dev/">Eleventy</a>. <a href="https://creativecommons.org/licenses/by/4.0/">CC BY</a></p></footer>
</body>
</html>
`;
  return { url: `${site}/posts/${slug}/`, html };
}

export function* blogCorpus(pages: number, site?: string): Generator<CorpusPage> {
  for (let index = 0; index < pages; index++) yield corpusPage(index, site);
}
