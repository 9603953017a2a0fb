import {
  CLOSES_P,
  END_TAGS_IMPLYING_ENDS,
  HEAD_ELEMENTS,
  HEADINGS,
  IMPLIED_END,
  RAW_TEXT_ELEMENTS,
  SPECIAL_ELEMENTS,
  UNMODELLED_ELEMENTS,
  VOID_ELEMENTS,
} from "./fast-tokens.ts";
import {
  type CompiledSelectors,
  type Compound,
  matchesCompound,
  type SimpleSelector,
} from "./simple-selectors.ts";

/**
 * A single linear scan of a well-formed page that yields what the reference parse
 * would, for content selectors the scan can evaluate (see simple-selectors.ts). It models just enough of HTML tree
 * construction for generated pages (explicit html/head/body, properly nested tags,
 * implied ends of p/li/dd/dt) and gives up, naming why, on anything else; the caller
 * then runs the full parse. Tests prove both agree on every fixture and corpus page.
 */

export interface FastScanResult {
  /** Offset in the original string where the link elements go. */
  insertAt: number;
  /** The head holds the build's link elements already (see HeadScan). */
  hasOwnElements: boolean;
  /** Hrefs (entity-decoded) of a/area in document order, with the scopes they lie in. */
  hrefs: string[];
  masks: number[];
  /** Bit i: content selector i matched at least one element (outside foreign containers). */
  matched: number;
  /**
   * Per selector: the source ranges [start, end) of its outermost matching elements, in
   * document order, for those closed by their own end tag; `rootsOpened` counts them all,
   * so a selector whose count differs has an element ended some other way.
   */
  ranges: number[][];
  rootsOpened: number[];
}

/** Why the fast scan declined a page (for diagnostics and the benchmark). */
export class FastScanDeclined {
  readonly reason: string;
  constructor(reason: string) {
    this.reason = reason;
  }
}

/** Substrings (lowercased) that send a page to the full parse wherever they appear. */
const DECLINE_MARKERS = ["<base", "\0"];

const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));/g;
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const DOCTYPE = /^<!doctype\s+html\s*>/;

function isSpaceCode(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 12 || code === 13;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

/** Decodes the character references a generated page uses; undefined when unsure. */
function decodeAttribute(value: string): string | undefined {
  if (!value.includes("&")) return value;
  let unsure = false;
  const decoded = value.replace(ENTITY, (_, named: string, dec: string, hex: string) => {
    if (named) return NAMED[named] as string;
    const code = dec ? Number.parseInt(dec, 10) : Number.parseInt(hex, 16);
    // Controls, C1 (remapped to windows-1252), surrogates and out-of-range need the full rules.
    if (code < 0x20 || (code >= 0x7f && code < 0xa0) || (code >= 0xd800 && code <= 0xdfff)) {
      unsure = true;
    }
    if (code > 0x10ffff) unsure = true;
    return unsure ? "" : String.fromCodePoint(code);
  });
  if (unsure || value.replace(ENTITY, "").includes("&")) return undefined;
  return decoded;
}

/** A start tag, with only the attributes the scan needs (raw values; first occurrence wins). */
interface Tag {
  name: string;
  end: number;
  className: string | undefined;
  id: string | undefined;
  href: string | undefined;
  rel: string | undefined;
  charset: boolean;
  noPingback: boolean;
}

interface OpenElement {
  name: string;
  /** Offset of its start tag's "<". */
  start: number;
  /** Scope bits of this element and its ancestors. */
  scopes: number;
  /** Scope bits this element starts: its own, which no ancestor has. */
  roots: number;
  inEntry: boolean;
  /**
   * Prefix state: for selector s, bit offsets[s] + k is set when compounds 0..k match
   * along this element and its ancestors (so a descendant may match compound k + 1).
   */
  prefixes: number;
  /** Descendants are in a citation, a nested entry or opted out: they match no scope. */
  foreignBelow: boolean;
  /** Inside (or on) an element with data-no-pingback: links here are not the post's. */
  optedOut: boolean;
}

class Scanner {
  readonly html: string;
  readonly lower: string;
  i: number;

  constructor(html: string, lower: string, start: number) {
    this.html = html;
    this.lower = lower;
    this.i = start;
  }

  decline(reason: string): never {
    throw new FastScanDeclined(reason);
  }

  /** Reads a start tag at `this.i` ("<" then a letter) and moves past it. */
  readStartTag(): Tag {
    const { html, lower } = this;
    const n = html.length;
    let i = this.i + 1;
    const nameStart = i;
    while (i < n) {
      const c = html.charCodeAt(i);
      if (isSpaceCode(c) || c === 47 || c === 62) break;
      i++;
    }
    const tag: Tag = {
      name: lower.slice(nameStart, i),
      end: 0,
      className: undefined,
      id: undefined,
      href: undefined,
      rel: undefined,
      charset: false,
      noPingback: false,
    };
    for (;;) {
      while (i < n && (isSpaceCode(html.charCodeAt(i)) || html.charCodeAt(i) === 47)) i++;
      if (i >= n) this.decline("unterminated tag");
      if (html.charCodeAt(i) === 62) break;
      const attrStart = i;
      i++;
      while (i < n) {
        const c = html.charCodeAt(i);
        if (isSpaceCode(c) || c === 47 || c === 62 || c === 61) break;
        if (c === 34 || c === 39 || c === 60) this.decline("odd attribute name");
        i++;
      }
      const attrEnd = i;
      while (i < n && isSpaceCode(html.charCodeAt(i))) i++;
      let valueStart = i;
      let valueEnd = i;
      if (html.charCodeAt(i) === 61) {
        i++;
        while (i < n && isSpaceCode(html.charCodeAt(i))) i++;
        const quote = html.charCodeAt(i);
        if (quote === 34 || quote === 39) {
          const close = html.indexOf(quote === 34 ? '"' : "'", i + 1);
          if (close === -1) this.decline("unterminated attribute value");
          valueStart = i + 1;
          valueEnd = close;
          i = close + 1;
        } else {
          valueStart = i;
          while (i < n) {
            const c = html.charCodeAt(i);
            if (isSpaceCode(c) || c === 62) break;
            if (c === 34 || c === 39 || c === 60 || c === 61 || c === 96) {
              this.decline("odd unquoted attribute value");
            }
            i++;
          }
          valueEnd = i;
        }
      }
      this.noteAttribute(tag, attrStart, attrEnd, valueStart, valueEnd);
    }
    this.i = i + 1;
    tag.end = i + 1;
    return tag;
  }

  /** Keeps the attributes the scan cares about; the first occurrence of a name wins. */
  noteAttribute(
    tag: Tag,
    nameStart: number,
    nameEnd: number,
    valueStart: number,
    valueEnd: number,
  ) {
    const length = nameEnd - nameStart;
    const { lower, html } = this;
    if (length === 2 && lower.startsWith("id", nameStart)) {
      tag.id ??= html.slice(valueStart, valueEnd);
    } else if (length === 4 && lower.startsWith("href", nameStart)) {
      tag.href ??= html.slice(valueStart, valueEnd);
    } else if (length === 5 && lower.startsWith("class", nameStart)) {
      tag.className ??= html.slice(valueStart, valueEnd);
    } else if (length === 3 && lower.startsWith("rel", nameStart)) {
      tag.rel ??= html.slice(valueStart, valueEnd);
    } else if (length === 7 && lower.startsWith("charset", nameStart)) {
      tag.charset = true;
    } else if (length === 16 && lower.startsWith("data-no-pingback", nameStart)) {
      tag.noPingback = true;
    }
  }

  /** Skips an end tag at `this.i` ("</" then a letter) and returns its name. */
  readEndTag(): string {
    const { html, lower } = this;
    const nameStart = this.i + 2;
    let i = nameStart;
    while (i < html.length) {
      const c = html.charCodeAt(i);
      if (isSpaceCode(c) || c === 47 || c === 62) break;
      i++;
    }
    const name = lower.slice(nameStart, i);
    const close = html.indexOf(">", i);
    if (close === -1) this.decline("unterminated end tag");
    if (close !== i) this.decline("end tag with attributes");
    this.i = close + 1;
    return name;
  }

  /** Skips a comment at `this.i` ("<!--"). */
  skipComment(): void {
    const { html } = this;
    const bodyStart = this.i + 4;
    if (html.startsWith(">", bodyStart) || html.startsWith("->", bodyStart)) {
      this.decline("abrupt comment");
    }
    const close = html.indexOf("-->", bodyStart);
    if (close === -1) this.decline("unterminated comment");
    if (html.slice(bodyStart, close).includes("--!>")) this.decline("odd comment end");
    this.i = close + 3;
  }

  /** Skips the text of a raw-text element up to (and including) its end tag. */
  skipRawText(name: string): void {
    const { lower } = this;
    let from = this.i;
    for (;;) {
      const close = lower.indexOf(`</${name}`, from);
      if (close === -1) this.decline(`unterminated <${name}>`);
      const after = lower.charCodeAt(close + 2 + name.length);
      if (isSpaceCode(after) || after === 47 || after === 62) {
        if (name === "script" && lower.slice(this.i, close).includes("<!--")) {
          this.decline("script with an HTML comment");
        }
        this.i = close;
        this.readEndTag();
        return;
      }
      from = close + 2;
    }
  }

  /** Skips whitespace text and comments; declines on any other text. Stops at a tag. */
  skipSpaceAndComments(where: string): void {
    const { html } = this;
    for (;;) {
      while (this.i < html.length && isSpaceCode(html.charCodeAt(this.i))) this.i++;
      if (this.i >= html.length) return;
      if (html.charCodeAt(this.i) !== 60) this.decline(`text ${where}`);
      if (html.startsWith("<!--", this.i)) this.skipComment();
      else return;
    }
  }

  /** True when `<` at `this.i` starts a start tag. */
  atStartTag(): boolean {
    return this.html.charCodeAt(this.i) === 60 && isAsciiLetter(this.html.charCodeAt(this.i + 1));
  }

  atEndTag(): boolean {
    return (
      this.html.charCodeAt(this.i) === 60 &&
      this.html.charCodeAt(this.i + 1) === 47 &&
      isAsciiLetter(this.html.charCodeAt(this.i + 2))
    );
  }
}

function classTokens(tag: Tag, scanner: Scanner): string[] {
  const value = tag.className;
  if (value === undefined || value === "") return [];
  if (value.includes("&")) scanner.decline("character reference in a class");
  return value.split(/[\t\n\f\r ]+/);
}

/** What the scan of a head tells. */
export interface HeadScan {
  /** Offset in the original string where the link elements go. */
  insertAt: number;
  /**
   * True when the head holds every one of the build's link elements already, each once,
   * byte for byte (a layout that renders them itself): nothing goes in.
   */
  hasOwnElements: boolean;
  /** Offset of the head's `<link rel="pingback"`, of ours; -1: none. */
  pingbackAt: number;
}

const PINGBACK_LINK_START = '<link rel="pingback"';

/**
 * Scans the document prefix up to the body start tag. `own` are the texts of the link
 * elements the build writes: the head may hold all of them, in their exact form (the
 * reference keeps such elements and warns of nothing); any other endpoint link, or
 * only some of ours, is the reference's to judge.
 */
function scanHead(scanner: Scanner, own: readonly string[]): HeadScan {
  scanner.skipSpaceAndComments("before the doctype");
  const doctype = DOCTYPE.exec(scanner.lower.slice(scanner.i, scanner.i + 64));
  if (!doctype) scanner.decline("no <!doctype html>");
  scanner.i += doctype[0].length;
  scanner.skipSpaceAndComments("before <html>");
  if (!scanner.atStartTag() || scanner.readStartTag().name !== "html") scanner.decline("no <html>");
  scanner.skipSpaceAndComments("before <head>");
  if (!scanner.atStartTag()) scanner.decline("no <head>");
  const head = scanner.readStartTag();
  if (head.name !== "head") scanner.decline("no <head>");
  let insertAt = head.end;
  let first = true;
  // Bit k: own[k] was seen.
  let seen = 0;
  let pingbackAt = -1;
  for (;;) {
    scanner.skipSpaceAndComments("in <head>");
    if (scanner.atEndTag()) {
      if (scanner.readEndTag() !== "head") scanner.decline("unexpected end tag in <head>");
      if (seen !== 0 && seen !== (1 << own.length) - 1) {
        scanner.decline("has some of the link elements, not all");
      }
      return { insertAt, hasOwnElements: seen !== 0, pingbackAt };
    }
    if (!scanner.atStartTag()) scanner.decline("unexpected markup in <head>");
    const tagStart = scanner.i;
    const tag = scanner.readStartTag();
    if (!HEAD_ELEMENTS.has(tag.name)) scanner.decline(`<${tag.name}> in <head>`);
    if (tag.name === "link" && isEndpointLink(tag)) {
      const k = own.indexOf(scanner.html.slice(tagStart, tag.end));
      if (k === -1 || (seen & (1 << k)) !== 0) scanner.decline("has an endpoint link");
      seen |= 1 << k;
      if (scanner.html.startsWith(PINGBACK_LINK_START, tagStart)) pingbackAt = tagStart;
    }
    if (first && tag.name === "meta" && tag.charset) insertAt = tag.end;
    first = false;
    if (RAW_TEXT_ELEMENTS.has(tag.name)) scanner.skipRawText(tag.name);
  }
}

/** Closes an open <p> before a start tag that implies it; declines when that is not simple. */
function closeParagraph(stack: OpenElement[], scanner: Scanner): void {
  for (let k = stack.length - 1; k >= 0; k--) {
    const name = (stack[k] as OpenElement).name;
    if (name === "p") {
      if (k !== stack.length - 1) scanner.decline("<p> closed around open elements");
      stack.pop();
      return;
    }
    if (name === "button") return;
  }
}

/** The "close an li/dd/dt" step of the in-body rules, declining when it is not simple. */
function closeListItem(stack: OpenElement[], names: ReadonlySet<string>, scanner: Scanner): void {
  for (let k = stack.length - 1; k >= 0; k--) {
    const name = (stack[k] as OpenElement).name;
    if (names.has(name)) {
      while (stack.length - 1 > k && IMPLIED_END.has((stack.at(-1) as OpenElement).name)) {
        stack.pop();
      }
      if (stack.length - 1 !== k) scanner.decline(`<${name}> closed around open elements`);
      stack.pop();
      return;
    }
    if (SPECIAL_ELEMENTS.has(name) && name !== "address" && name !== "div" && name !== "p") return;
  }
}

const LI = new Set(["li"]);
const DD_DT = new Set(["dd", "dt"]);

function openElement(
  tag: Tag,
  start: number,
  parent: OpenElement | undefined,
  selectors: CompiledSelectors,
  scanner: Scanner,
): OpenElement {
  const classes = classTokens(tag, scanner);
  if (tag.id?.includes("&")) scanner.decline("character reference in an id");
  const isEntry = classes.includes("h-entry");
  const parentInEntry = parent?.inEntry ?? false;
  const optedOut = tag.noPingback;
  // Mirrors the reference's foreign containers: .h-cite *, .h-entry .h-entry *, [data-no-pingback] *.
  const foreign = parent?.foreignBelow ?? false;
  let own = 0;
  const above = parent?.prefixes ?? 0;
  let prefixes = above;
  const { chains, offsets } = selectors;
  for (let s = 0; s < chains.length; s++) {
    const chain = chains[s] as SimpleSelector;
    const offset = offsets[s] as number;
    for (let k = 0; k < chain.length; k++) {
      // Compound k can match here only below an element that completed compounds 0..k-1.
      if (k > 0 && (above & (1 << (offset + k - 1))) === 0) continue;
      if (!matchesCompound(chain[k] as Compound, tag.name, tag.id, classes)) continue;
      prefixes |= 1 << (offset + k);
      if (k === chain.length - 1 && !foreign) own |= 1 << s;
    }
  }
  return {
    name: tag.name,
    start,
    scopes: (parent?.scopes ?? 0) | own,
    roots: own & ~(parent?.scopes ?? 0),
    inEntry: parentInEntry || isEntry,
    prefixes,
    foreignBelow: foreign || optedOut || classes.includes("h-cite") || (isEntry && parentInEntry),
    optedOut: (parent?.optedOut ?? false) || optedOut,
  };
}

/** A `<link>` that advertises a pingback or webmention endpoint: the reference decides what to keep. */
function isEndpointLink(tag: Tag): boolean {
  if (tag.rel === undefined) return false;
  const tokens = tag.rel.toLowerCase().split(/[\t\n\f\r ]+/);
  return tokens.includes("pingback") || tokens.includes("webmention");
}

/**
 * Scans only the document prefix up to `</head>` and tells where the fast scan would
 * put the link elements, or that the head has them. Throws FastScanDeclined when the
 * prefix is beyond the scan. The rest of the page can still send it to the full parse:
 * callers use this as a prediction that a full processPage confirms (see
 * predict-insertion.ts).
 */
export function scanHeadInsertion(html: string, own: readonly string[], start = 0): HeadScan {
  const headEnd = html.indexOf("</head>");
  if (headEnd === -1) throw new FastScanDeclined("no </head>");
  const prefix = html.slice(0, headEnd + 7);
  const lower = prefix.toLowerCase();
  if (lower.length !== prefix.length) throw new FastScanDeclined("case folding changes length");
  for (const marker of DECLINE_MARKERS) {
    if (lower.includes(marker)) throw new FastScanDeclined(`contains ${JSON.stringify(marker)}`);
  }
  return scanHead(new Scanner(prefix, lower, start), own);
}

/**
 * Runs the fast scan. Throws FastScanDeclined when the page needs the full parse.
 * `own` are the texts of the build's link elements (see scanHead); `start` skips a
 * byte-order mark.
 */
export function fastScan(
  html: string,
  selectors: CompiledSelectors,
  own: readonly string[],
  start = 0,
): FastScanResult {
  const lower = html.toLowerCase();
  // Some characters change length when lowercased; offsets would no longer line up.
  if (lower.length !== html.length) throw new FastScanDeclined("case folding changes length");
  for (const marker of DECLINE_MARKERS) {
    if (lower.includes(marker)) throw new FastScanDeclined(`contains ${JSON.stringify(marker)}`);
  }
  const scanner: Scanner = new Scanner(html, lower, start);
  const { insertAt, hasOwnElements, pingbackAt } = scanHead(scanner, own);
  // The spec's pattern anywhere else (even in a comment) needs the reference's warnings.
  const pingbackLink = html.indexOf(PINGBACK_LINK_START);
  if (
    pingbackLink !== -1 &&
    (pingbackLink !== pingbackAt || html.includes(PINGBACK_LINK_START, pingbackLink + 1))
  ) {
    scanner.decline("has a pingback link");
  }

  scanner.skipSpaceAndComments("between </head> and <body>");
  if (!scanner.atStartTag()) scanner.decline("no <body>");
  const bodyStart = scanner.i;
  const bodyTag = scanner.readStartTag();
  if (bodyTag.name !== "body") scanner.decline("no <body>");
  const body = openElement(bodyTag, bodyStart, undefined, selectors, scanner);
  const stack: OpenElement[] = [body];
  let matched = body.scopes;
  const hrefs: string[] = [];
  const masks: number[] = [];
  const ranges: number[][] = selectors.chains.map(() => []);
  const rootsOpened: number[] = selectors.chains.map(() => 0);
  const opened = (element: OpenElement) => {
    for (let bits = element.roots; bits !== 0; bits &= bits - 1) {
      const bit = 31 - Math.clz32(bits & -bits);
      rootsOpened[bit] = (rootsOpened[bit] as number) + 1;
    }
  };
  const closed = (element: OpenElement, end: number) => {
    for (let bits = element.roots; bits !== 0; bits &= bits - 1) {
      ranges[31 - Math.clz32(bits & -bits)]?.push(element.start, end);
    }
  };
  opened(body);
  const n = html.length;

  while (scanner.i < n) {
    const lt = html.indexOf("<", scanner.i);
    if (lt === -1) break;
    scanner.i = lt;
    const next = html.charCodeAt(lt + 1);
    if (isAsciiLetter(next)) {
      const tag = scanner.readStartTag();
      const { name } = tag;
      if (UNMODELLED_ELEMENTS.has(name)) scanner.decline(`<${name}> in <body>`);
      if (name === "li") closeListItem(stack, LI, scanner);
      else if (name === "dd" || name === "dt") closeListItem(stack, DD_DT, scanner);
      if (CLOSES_P.has(name)) closeParagraph(stack, scanner);
      const top = stack.at(-1);
      if (top === undefined) scanner.decline("content after the body was closed");
      if (HEADINGS.has(name) && HEADINGS.has(top.name)) scanner.decline("nested heading");
      if (name === "button" && stack.some((element) => element.name === "button")) {
        scanner.decline("nested <button>");
      }
      if (name === "link" && isEndpointLink(tag)) scanner.decline("has an endpoint link");
      const element = openElement(tag, lt, top, selectors, scanner);
      matched |= element.scopes;
      opened(element);
      if (name === "a" || name === "area") {
        if (name === "a" && stack.some((open) => open.name === "a")) scanner.decline("nested <a>");
        const href = tag.href;
        if (href !== undefined && !element.optedOut) {
          const decoded = decodeAttribute(href);
          if (decoded === undefined) scanner.decline("unusual character reference in href");
          hrefs.push(decoded);
          masks.push(element.scopes);
        }
      }
      if (RAW_TEXT_ELEMENTS.has(name)) scanner.skipRawText(name);
      else if (!VOID_ELEMENTS.has(name)) stack.push(element);
    } else if (next === 47 && isAsciiLetter(html.charCodeAt(lt + 2))) {
      const name = scanner.readEndTag();
      if (name === "body" && stack.length === 1) closed(body, scanner.i);
      if (name === "body" || name === "html") {
        // Elements still open stay open (a parse error that moves nothing); only what
        // follows </body> could be re-parented, and that is declined below.
        for (;;) {
          scanner.skipSpaceAndComments("after </body>");
          if (scanner.i >= n) break;
          if (!scanner.atEndTag() || !["body", "html"].includes(scanner.readEndTag())) {
            scanner.decline("content after </body>");
          }
        }
        break;
      }
      if (!stack.some((element) => element.name === name)) scanner.decline(`stray </${name}>`);
      while (stack.length > 1 && (stack.at(-1) as OpenElement).name !== name) {
        const top = (stack.at(-1) as OpenElement).name;
        if (!END_TAGS_IMPLYING_ENDS.has(name) || !IMPLIED_END.has(top)) {
          scanner.decline(`</${name}> closes open elements`);
        }
        stack.pop();
      }
      if (stack.length === 1 && name !== "body") scanner.decline(`stray </${name}>`);
      closed(stack.pop() as OpenElement, scanner.i);
    } else if (html.startsWith("<!--", lt)) {
      scanner.skipComment();
    } else if (next === 33 || next === 63 || next === 47) {
      scanner.decline("doctype, bogus comment or odd end tag in <body>");
    } else {
      scanner.i = lt + 1; // A "<" that starts no tag is text.
    }
  }
  return { insertAt, hasOwnElements, hrefs, masks, matched, ranges, rootsOpened };
}
