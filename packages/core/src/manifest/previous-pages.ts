import { PingbackFileError } from "../files/file-error.ts";
import { assertMatchesSchema } from "../files/schema-validator.ts";
import { sortedLinks } from "./diff-manifests.ts";
import { type EntryBytes, type EntryFile, entryData, entryText } from "./entry-file.ts";
import type { Manifest, ManifestPage } from "./types.ts";

/**
 * The previous build's manifest as a build diffs against it: one page at a time. A
 * manifest this package wrote is not parsed whole (at 10,000 posts its pages would be
 * some 100 MB of objects held to the end of the build): its bytes are indexed by page,
 * a page whose new entry has the very same bytes has not changed, and only the other
 * pages' entries are parsed, when asked for, and checked against the schema.
 */
export interface PreviousPages {
  /** The manifest's `generatedAt` (the outbox's `previousGeneratedAt`). */
  readonly generatedAt: string;
  /** Its page URLs, sorted by code units. */
  readonly urls: readonly string[];
  /**
   * The page's entry as this package writes it (see prepared-page.ts), when the file
   * holds it in that layout; undefined otherwise (and for a page it does not have).
   */
  entry(url: string): EntryBytes | undefined;
  /**
   * The page's previous entry when it holds exactly the bytes of `entry` (its new one):
   * the page did not change, and the previous file's copy can serve. Undefined
   * otherwise, and for a layout this package did not write.
   */
  unchanged(url: string, entry: Uint8Array): EntryBytes | undefined;
  /** The page, parsed now and not kept; throws PingbackFileError for a damaged entry. */
  page(url: string): ManifestPage | undefined;
  /** Lets go of the file entries are read from, once the build's manifest is written. */
  close(): void;
}

/** A manifest already parsed (and checked), such as a deployed copy fetched as JSON. */
export function pagesOfManifest(manifest: Manifest): PreviousPages {
  return {
    generatedAt: manifest.generatedAt,
    urls: sortedLinks(Object.keys(manifest.pages)),
    entry: () => undefined,
    unchanged: () => undefined,
    page: (url) => (Object.hasOwn(manifest.pages, url) ? manifest.pages[url] : undefined),
    close: () => {},
  };
}

const PAGES_KEY = Buffer.from('\n  "pages": ');
const ENTRY_END = Buffer.from("\n    }");
const NEWLINE = 0x0a;
const CLOSING_BRACE = 0x7d;

/**
 * A manifest's bytes, indexed by page when they are in the layout this package writes
 * (formatJson's: see assemble-build.ts); undefined for any other layout, which the
 * caller then parses whole. Only the head is parsed and checked here. `trusted`: the
 * bytes are known to be this package's own output (the page cache kept their digest),
 * so entries parsed later skip the schema check. With `source` (the file, open) the
 * entries are read from it when asked for, and `bytes` can go once this returns.
 */
export function indexManifestBytes(
  bytes: Buffer,
  file: string,
  trusted: boolean,
  source?: EntryFile,
): PreviousPages | undefined {
  const pagesAt = bytes.indexOf(PAGES_KEY);
  if (pagesAt === -1 || bytes[0] !== 0x7b || bytes[1] !== NEWLINE) return undefined;
  let head: Manifest;
  try {
    // The head's fields, up to the comma before "pages".
    head = JSON.parse(`${bytes.toString("utf8", 0, pagesAt)}"pages":{}}`) as Manifest;
  } catch {
    return undefined;
  }
  const check = (manifest: Manifest): Manifest =>
    trusted ? manifest : assertMatchesSchema<Manifest>("manifest", manifest, file);
  check(head);
  const ranges = indexEntries(bytes, pagesAt + PAGES_KEY.length);
  if (ranges === undefined) return undefined;
  // Kept only when there is no file to read from.
  const held = source === undefined ? bytes : undefined;
  const entry = (url: string): EntryBytes | undefined => {
    const range = ranges.get(url);
    if (range === undefined) return undefined;
    const [start, end] = range;
    return source ? { file: source, start, length: end - start } : held?.subarray(start, end);
  };
  return {
    generatedAt: head.generatedAt,
    urls: sortedLinks([...ranges.keys()]),
    entry,
    unchanged: (url, bytes) => {
      const range = ranges.get(url);
      if (range === undefined || range[1] - range[0] !== bytes.byteLength) return undefined;
      const before = entry(url) as EntryBytes;
      // Read back rather than digested: pages come mostly in the file's order, so one
      // block read serves several entries, and no digest of every entry is made upfront.
      return Buffer.compare(entryData(before), bytes) === 0 ? before : undefined;
    },
    page: (url) => {
      const bytes = entry(url);
      if (bytes === undefined) return undefined;
      const text = entryText(bytes);
      let parsed: Record<string, ManifestPage>;
      try {
        parsed = JSON.parse(`{${text}}`) as Record<string, ManifestPage>;
      } catch (error) {
        throw new PingbackFileError(
          file,
          pointerOf(url),
          `is not valid JSON (${(error as Error).message})`,
          {
            cause: error,
          },
        );
      }
      if (Object.keys(parsed).length !== 1) {
        // Lines laid out to hide another page inside this one's entry.
        throw new PingbackFileError(file, pointerOf(url), "holds more than one page's entry");
      }
      return check({ ...head, pages: parsed }).pages[url];
    },
    close: () => source?.close(),
  };
}

/**
 * Where each page's entry is, from the opening brace of "pages": `"url": {` on a line
 * of its own at depth 2, up to its closing brace alone at that depth. A raw newline
 * never occurs inside a JSON string, so lines are the layout's tokens. Undefined when
 * anything between or around the entries is not exactly that layout, or a URL repeats.
 */
function indexEntries(bytes: Buffer, at: number): Map<string, [number, number]> | undefined {
  const ranges = new Map<string, [number, number]>();
  const rest = bytes.toString("latin1", at, at + 3);
  if (rest === "{}\n") return isEnd(bytes, at + 2) ? ranges : undefined;
  if (rest.slice(0, 2) !== "{\n") return undefined;
  let start = at + 2;
  for (;;) {
    const lineEnd = bytes.indexOf(NEWLINE, start);
    const close = entryEnd(bytes, lineEnd);
    if (lineEnd === -1 || close === -1) return undefined;
    const keyLine = bytes.toString("utf8", start, lineEnd);
    if (!keyLine.startsWith('    "') || !keyLine.endsWith('": {')) return undefined;
    let url: unknown;
    try {
      url = JSON.parse(keyLine.slice(4, -3));
    } catch {
      return undefined;
    }
    const end = close + ENTRY_END.length;
    if (typeof url !== "string" || ranges.has(url)) return undefined;
    ranges.set(url, [start, end]);
    if (bytes[end] === 0x2c && bytes[end + 1] === NEWLINE) start = end + 2;
    else
      return bytes.toString("latin1", end, end + 4) === "\n  }" && isEnd(bytes, end + 4)
        ? ranges
        : undefined;
  }
}

/**
 * Where the next ENTRY_END from `from` starts, or -1. Found by its brace: a "}" is rare
 * in an entry (only inside a URL), while the newline ENTRY_END starts with begins every
 * link's line, which makes a search for the whole sequence several times slower.
 */
function entryEnd(bytes: Buffer, from: number): number {
  if (from === -1) return -1;
  let brace = bytes.indexOf(CLOSING_BRACE, from);
  while (brace !== -1) {
    const start = brace - (ENTRY_END.length - 1);
    if (start >= from && bytes.compare(ENTRY_END, 0, ENTRY_END.length, start, brace + 1) === 0) {
      return start;
    }
    brace = bytes.indexOf(CLOSING_BRACE, brace + 1);
  }
  return -1;
}

/** The JSON Pointer of a page's entry. */
function pointerOf(url: string): string {
  return `/pages/${url.replaceAll("~", "~0").replaceAll("/", "~1")}`;
}

/** The manifest's closing brace at `at`, then at most a newline. */
function isEnd(bytes: Buffer, at: number): boolean {
  const tail = bytes.toString("latin1", at);
  return tail === "\n}\n" || tail === "\n}";
}
