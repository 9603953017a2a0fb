/**
 * Content selectors the fast scan can evaluate while it streams through a page: lists
 * of compound selectors (a tag name, `.class`es, an `#id`) joined by descendant
 * combinators, such as `.h-entry .e-content`, `article`, `main.post`, or Starlight's
 * `.sl-markdown-content`. Anything richer (`>`, `:not()`, attributes, escapes) is left
 * to the reference parse, which evaluates every selector with hast-util-select.
 */
export interface Compound {
  tag: string | undefined;
  id: string | undefined;
  classes: string[];
}

/** One selector: compounds from the outermost ancestor to the element itself. */
export type SimpleSelector = Compound[];

/**
 * Selectors ready for the scan. Each compound of each selector owns one bit of a 31-bit
 * prefix state (selector s, compound k at bit offsets[s] + k), so an element's state is a
 * single number instead of an array.
 */
export interface CompiledSelectors {
  chains: SimpleSelector[];
  offsets: number[];
}

/** At most this many selectors (one bit each in the scan's scope masks). */
const MAX_SELECTORS = 30;
/** Compounds over all selectors: one bit each in a prefix state. */
const MAX_COMPOUNDS = 31;
const COMPOUND = /^([a-zA-Z][a-zA-Z0-9-]*)?((?:[.#][_a-zA-Z-][_a-zA-Z0-9-]*)*)$/;
const PIECE = /([.#])([_a-zA-Z-][_a-zA-Z0-9-]*)/g;

function compileCompound(text: string): Compound | undefined {
  const match = COMPOUND.exec(text);
  if (!match || text === "") return undefined;
  const compound: Compound = { tag: match[1]?.toLowerCase(), id: undefined, classes: [] };
  for (const [, kind, name] of (match[2] ?? "").matchAll(PIECE)) {
    if (kind === ".") compound.classes.push(name as string);
    else if (compound.id === undefined) compound.id = name;
    else return undefined; // Two ids: let the reference decide what that means.
  }
  return compound;
}

const cache = new Map<string, CompiledSelectors | undefined>();

function compile(list: readonly string[]): CompiledSelectors | undefined {
  if (list.length > MAX_SELECTORS) return undefined;
  const compiled: CompiledSelectors = { chains: [], offsets: [] };
  let bits = 0;
  for (const selector of list) {
    const chain = selector
      .trim()
      .split(/[ \t\n\r\f]+/)
      .map(compileCompound);
    if (chain.some((part) => part === undefined)) return undefined;
    compiled.chains.push(chain as Compound[]);
    compiled.offsets.push(bits);
    bits += chain.length;
  }
  return bits > MAX_COMPOUNDS ? undefined : compiled;
}

/** The selectors compiled, or undefined when any of them is beyond the fast scan. */
export function compileSimpleSelectors(list: readonly string[]): CompiledSelectors | undefined {
  const key = list.join("\u0000");
  if (cache.has(key)) return cache.get(key);
  const compiled = compile(list);
  if (cache.size > 100) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

/** Whether an element (lowercase tag name, its id and class tokens) matches a compound. */
export function matchesCompound(
  compound: Compound,
  tag: string,
  id: string | undefined,
  classes: readonly string[],
): boolean {
  if (compound.tag !== undefined && compound.tag !== tag) return false;
  if (compound.id !== undefined && compound.id !== id) return false;
  for (const name of compound.classes) if (!classes.includes(name)) return false;
  return true;
}
