/** A small blog as Eleventy input: layout with nav/footer chrome, Markdown posts, odd pages. */
export const LAYOUT = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
</head>
<body>
<nav><a href="https://github.com/me">GitHub</a> <a href="/">Home</a></nav>
<main>
<article class="h-entry">
<h1 class="p-name">{{ title }}</h1>
<div class="e-content">
{{ content | safe }}
</div>
</article>
{% pingbacks page.url %}
</main>
<footer>Built with <a href="https://www.11ty.dev/">Eleventy</a></footer>
</body>
</html>
`;

export function post(title: string, body: string): string {
  return `---\nlayout: layout.njk\ntitle: ${title}\n---\n${body}\n`;
}

export const FILES: Record<string, string> = {
  "_includes/layout.njk": LAYOUT,
  "index.md": post("Home", "Welcome. See [my first post](/posts/first/)."),
  "posts/first.md": post(
    "First",
    "I read [Alice](https://alice.example/a) and [Bob](https://bob.example/b?x=1&y=2).\n\nAlso [Alice again](https://alice.example/a#frag) and [home](/).",
  ),
  "posts/second.md": post("Second", "About [Carol](http://carol.example/c/)."),
  "404.md": `---\nlayout: layout.njk\ntitle: Not found\npermalink: 404.html\n---\nTry [search](https://search.example/).\n`,
  "feed.njk": `---\npermalink: /feed.xml\n---\n<?xml version="1.0"?><feed><link href="https://x.example/"/></feed>\n`,
  "draft.md": `---\nlayout: layout.njk\ntitle: Draft\npermalink: false\n---\n[Secret](https://secret.example/)\n`,
};

/** Pages where the head alone does not tell the whole answer, beside ordinary ones. */
export function trickyFiles(): Record<string, string> {
  const files: Record<string, string> = { ...FILES };
  for (let i = 0; i < 40; i++) {
    files[`posts/many-${i}.md`] = post(
      `Many ${i}`,
      `See [site ${i}](https://s${i}.example/p) and [home](/).`,
    );
  }
  // A pingback link in the body: the head says "insert", the whole page says otherwise.
  files["posts/declared.md"] = post(
    "Declared",
    `<link rel="pingback" href="https://elsewhere.example/xmlrpc">\n\n[A](https://a.example/).`,
  );
  // No <head> at all: nothing to predict from, so the transform waits for the worker.
  files["headless.njk"] =
    `---\npermalink: /headless/\n---\n<!doctype html><title>x</title><main><a href="https://h.example/">h</a></main>\n`;
  return files;
}
