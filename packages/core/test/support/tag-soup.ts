import { pick, seededRandom } from "../../../../test/support/random.ts";

/**
 * Random, often malformed documents built from the constructs the fast scan models
 * and many it does not: missing end tags, misnesting, raw text, comments, odd
 * attributes, entities. Used to compare the fast scan with the full parse.
 */
const BLOCKS = [
  "div",
  "p",
  "section",
  "article",
  "main",
  "ul",
  "li",
  "h2",
  "blockquote",
  "dl",
  "dd",
  "dt",
  "nav",
  "footer",
  "table",
  "button",
  "form",
];
const INLINE = ["span", "em", "b", "a", "code", "i", "small"];
const CLASSES = [
  "",
  "",
  "",
  "",
  "",
  "e-content",
  "p-name",
  "h-entry",
  "h-entry e-content",
  "h-cite",
];
const HREFS = [
  "https://a.example/x",
  "https://b.example/y?q=1&amp;r=2",
  "/local",
  "#frag",
  "https://c.example/&#x41;",
  "https://d.example/&copy",
  "HTTPS://E.EXAMPLE/Up",
  "  https://f.example/space ",
  "mailto:x@example.org",
];

function element(random: () => number, depth: number): string {
  const roll = random();
  if (depth > 4 || roll < 0.2) {
    const text = pick(random, [
      "text",
      " a < b ",
      "x &amp; y",
      "\n",
      '<!-- c <a href="https://hidden.example/"> -->',
      "<br>",
      "<img src=x>",
    ]);
    return text;
  }
  if (roll < 0.25) {
    return pick(random, [
      '<script>var a = "<a href=\\"https://script.example/\\">";</script>',
      "<style>p{}</style>",
      '<textarea><a href="https://ta.example/"></textarea>',
      '<template><a href="https://tpl.example/"></a></template>',
      '<area href="https://area.example/">',
      '<div data-no-pingback><a href="https://optout.example/">x</a></div>',
      '<link rel="stylesheet" href="/x.css">',
    ]);
  }
  const inline = roll < 0.55;
  const name = inline ? pick(random, INLINE) : pick(random, BLOCKS);
  const cls = pick(random, CLASSES);
  const id = random() < 0.05 ? ' id="post"' : "";
  const attributes =
    (cls ? ` class="${cls}"` : "") + id + (name === "a" ? ` href="${pick(random, HREFS)}"` : "");
  const children = Array.from({ length: Math.floor(random() * 4) }, () =>
    element(random, depth + 1),
  ).join("");
  const close = random() < 0.9 ? `</${name}>` : "";
  return `<${name}${attributes}>${children}${close}`;
}

/** Endpoint link elements a page may carry of its own (a third of the documents get one). */
const OWN_ENDPOINT_LINKS = [
  '<link rel="webmention" href="/own-webmention">',
  '<link rel="Pingback WebMention" href="https://own.example/endpoint">',
  '<link rel="pingback" href="https://own.example/xmlrpc">',
];

/**
 * One document. With `endpointLinks`, some documents also carry an endpoint link element
 * of their own, in the head or the body (which the head-only prediction cannot see).
 */
export function tagSoupDocument(seed: number, { endpointLinks = false } = {}): string {
  const random = seededRandom(seed);
  const body = Array.from({ length: 3 + Math.floor(random() * 5) }, () => element(random, 0)).join(
    "\n",
  );
  const meta = random() < 0.5 ? '<meta charset="utf-8">' : "";
  const bodyOpen = random() < 0.5 ? '<body class="h-entry">' : "<body>";
  let own = "";
  let ownInBody = false;
  if (endpointLinks && random() < 1 / 3) {
    own = pick(random, OWN_ENDPOINT_LINKS);
    ownInBody = random() < 0.5;
  }
  const head = `<head>${meta}<title>t</title>${ownInBody ? "" : own}</head>`;
  return `<!doctype html>\n<html>\n${head}\n${bodyOpen}\n${ownInBody ? own : ""}${body}\n</body>\n</html>\n`;
}
