import { Parser } from "htmlparser2";
import { normaliseUri } from "../uri.ts";
import { resolveHref } from "./resolve-href.ts";

/**
 * Bounds of the work one verification may do, whatever the page. The byte cap
 * is what WordPress reads (150 KB); the depth and element caps stop pages built
 * to be expensive (800,000 nested `<div>` fit in 7 KB of gzip) long before real
 * pages reach them.
 */
export const SCAN_LIMITS = {
  /** Decoded bytes of the body searched for the link; the rest is ignored. */
  bytes: 150 * 1024,
  /** Open elements at once. */
  depth: 256,
  /** Elements seen in all. */
  elements: 20_000,
} as const;

/** Elements whose text is not page text, and whose links do not count. */
const OPAQUE = new Set(["script", "style", "template", "noscript", "textarea", "title"]);

/** Elements whose text is an excerpt on its own. */
const BLOCKS = new Set([
  "p",
  "li",
  "blockquote",
  "dd",
  "td",
  "figcaption",
  "section",
  "article",
  "div",
  "main",
  "body",
]);

/** Elements that separate words in visible text. */
const SPACED = new Set(["br", "p", "li"]);

/** A run of the page's visible text, as offsets into `PageFacts.text`. */
export interface Span {
  start: number;
  end: number;
}

/** An h-card or p-author element: what the author fields are read from. */
export interface CardFacts {
  hCard: boolean;
  href: string | undefined;
  text: Span;
  /** First `p-name` inside an h-card. */
  name?: Span;
  /** `href` of the first `u-url` inside an h-card. */
  url?: string | undefined;
}

export interface EntryFacts {
  lang: string | undefined;
  name?: Span;
  published?: { attribute: string | undefined; text: Span };
  author?: CardFacts;
}

/** What one pass over a page learned: everything metadata extraction needs. */
export interface PageFacts {
  /** Base URL for relative links: the first `<base href>` (before the link), else the page URL. */
  base: string;
  /** The first link to a target, with the text of its nearest block. */
  link?: { text: Span; block: Span; lang: string | undefined };
  /** The first h-entry. */
  entry?: EntryFacts;
  firstAuthor?: CardFacts;
  firstCard?: CardFacts;
  /** Raw text of the first `<title>`. */
  title?: string;
  metaAuthor?: { content: string | undefined };
  metaPublished?: { content: string | undefined };
  relAuthor?: { href: string | undefined };
  htmlLang?: string | undefined;
  /** All visible text (no script, style, template, … text), as written. */
  text: string;
  /** Work done: elements seen and characters read. */
  elements: number;
  /** Set when a limit stopped the scan before the end of the page. */
  stopped?: "depth" | "elements";
}

interface Open {
  opaque: boolean;
  block: boolean;
  lang: string | undefined;
  textStart: number;
  onClose?: Array<() => void>;
}

const NO_CLASSES: ReadonlySet<string> = new Set();
const classesOf = (attribs: Record<string, string>): ReadonlySet<string> =>
  attribs.class ? new Set(attribs.class.split(/\s+/)) : NO_CLASSES;

/**
 * One streaming pass over `html` (htmlparser2's tokenizer, no tree): finds the
 * first `a`/`area` whose href resolves to one of `targets` and collects the
 * facts the citing post is built from. Work is linear in the input and stops at
 * the depth and element caps; nothing recurses.
 */
export function scanPage(html: string, pageUrl: string, targets: ReadonlySet<string>): PageFacts {
  const facts: PageFacts = { base: pageUrl, text: "", elements: 0 };
  const text: string[] = [];
  let textLength = 0;
  const stack: Open[] = [];
  let opaqueOpen = 0;
  let baseSeen = false;
  let titleElement: Open | undefined;
  const titleText: string[] = [];
  let entryOpen = false;
  /** Open h-cards whose `p-name` or `u-url` is still missing. */
  const openCards: CardFacts[] = [];

  const append = (value: string) => {
    text.push(value);
    textLength += value.length;
  };
  const whenClosed = (element: Open, done: () => void) => {
    if (element.onClose) element.onClose.push(done);
    else element.onClose = [done];
  };
  /** The visible text of `element`, known once it closes. */
  const span = (element: Open, start = textLength): Span => {
    const result = { start, end: textLength };
    whenClosed(element, () => {
      result.end = textLength;
    });
    return result;
  };

  const visit = (name: string, attribs: Record<string, string>, element: Open) => {
    const classes = classesOf(attribs);
    if (name === "html" && !("htmlLang" in facts)) facts.htmlLang = attribs.lang;
    if (name === "base" && !baseSeen && attribs.href !== undefined) {
      baseSeen = true;
      const url = resolveHref(attribs.href, pageUrl);
      if (url && (url.protocol === "http:" || url.protocol === "https:")) facts.base = url.href;
    }
    if (name === "title" && !titleElement) {
      titleElement = element;
      whenClosed(element, () => {
        facts.title = titleText.join("");
      });
    }
    if (name === "meta") {
      if (!facts.metaAuthor && attribs.name?.toLowerCase() === "author") {
        facts.metaAuthor = { content: attribs.content };
      }
      if (!facts.metaPublished && attribs.property === "article:published_time") {
        facts.metaPublished = { content: attribs.content };
      }
    }
    if (
      !facts.relAuthor &&
      (name === "link" || name === "a") &&
      (attribs.rel ?? "").split(/\s+/).includes("author")
    ) {
      facts.relAuthor = { href: attribs.href };
    }

    // One card per element, whichever roles it plays.
    let here: CardFacts | undefined;
    const cardHere = (): CardFacts => {
      if (here) return here;
      const found: CardFacts = {
        hCard: classes.has("h-card"),
        href: attribs.href,
        text: span(element),
      };
      if (found.hCard) {
        openCards.push(found);
        whenClosed(element, () => openCards.splice(openCards.indexOf(found), 1));
      }
      here = found;
      return found;
    };
    if (!facts.entry && classes.has("h-entry")) {
      facts.entry = { lang: attribs.lang };
      entryOpen = true;
      whenClosed(element, () => {
        entryOpen = false;
      });
    }
    // The entry element itself is searched too, as a subtree search would.
    if (entryOpen && facts.entry) {
      const entry = facts.entry;
      if (!entry.name && classes.has("p-name")) entry.name = span(element);
      if (!entry.published && classes.has("dt-published")) {
        entry.published = {
          attribute: attribs.datetime ?? attribs.value ?? attribs.title,
          text: span(element),
        };
      }
      if (!entry.author && classes.has("p-author")) entry.author = cardHere();
    }
    if (!facts.firstAuthor && classes.has("p-author")) facts.firstAuthor = cardHere();
    if (!facts.firstCard && classes.has("h-card")) facts.firstCard = cardHere();
    for (const open of openCards) {
      if (!open.name && classes.has("p-name")) open.name = span(element);
      if (!("url" in open) && classes.has("u-url")) open.url = attribs.href;
    }

    if (!facts.link && (name === "a" || name === "area") && attribs.href !== undefined) {
      const url = resolveHref(attribs.href, facts.base);
      if (url && targets.has(normaliseUri(url))) {
        // Ancestors only: the link itself is the top of the stack.
        let block: Open = element;
        let lang: string | undefined;
        for (let i = stack.length - 2; i >= 0; i--) {
          const ancestor = stack[i] as Open;
          lang ??= ancestor.lang;
          if (block === element && ancestor.block) block = ancestor;
        }
        facts.link = { text: span(element), block: span(block, block.textStart), lang };
      }
    }
  };

  const close = () => {
    const element = stack.pop();
    if (!element) return;
    if (element.opaque) opaqueOpen--;
    for (const done of element.onClose ?? []) done();
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (facts.stopped) return;
        facts.elements++;
        if (facts.elements > SCAN_LIMITS.elements) facts.stopped = "elements";
        else if (stack.length >= SCAN_LIMITS.depth) facts.stopped = "depth";
        if (facts.stopped) {
          parser.pause();
          return;
        }
        const hidden = opaqueOpen > 0;
        const opaque = OPAQUE.has(name);
        const element: Open = {
          opaque,
          block: BLOCKS.has(name),
          lang: attribs.lang,
          textStart: textLength,
        };
        stack.push(element);
        if (opaque) opaqueOpen++;
        if (hidden) return;
        if (SPACED.has(name)) append(" ");
        visit(name, attribs, element);
      },
      onclosetag() {
        if (!facts.stopped) close();
      },
      ontext(data) {
        if (facts.stopped) return;
        if (opaqueOpen === 0) append(data);
        else if (titleElement && stack.at(-1) === titleElement) titleText.push(data);
      },
    },
    { decodeEntities: true },
  );
  parser.end(html.charCodeAt(0) === 0xfeff ? html.slice(1) : html);
  while (stack.length > 0) close();
  facts.text = text.join("");
  return facts;
}
