/** Indexes ride along in the low bits of each key: up to 2^21 items per call. */
const INDEX_LIMIT = 2 ** 21;
/** Code units packed into a key after the common prefix, 7 bits each. */
const KEY_UNITS = 4;
/** Runs of equal keys up to this long are put in order by insertion. */
const SHORT_RUN = 16;

/**
 * The strings in UTF-16 code unit order, as `[...items].sort()` gives them, quicker for
 * the long lists of similar URLs a page links to. Each string gets a numeric key from
 * the few code units after the list's common prefix; the keys sort natively, as numbers,
 * and only strings with equal keys are compared as strings. A key never orders two
 * strings against their string order (see `keyOf`), so the result is exactly the
 * plain sort's; the tests compare both.
 */
export function sortByCodeUnits(items: readonly string[]): string[] {
  const n = items.length;
  if (n < 32 || n >= INDEX_LIMIT) return [...items].sort();
  const prefix = commonPrefixLength(items);
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) keys[k] = keyOf(items[k] as string, prefix) * INDEX_LIMIT + k;
  keys.sort();
  const sorted = new Array<string>(n);
  for (let k = 0; k < n; k++) sorted[k] = items[(keys[k] as number) % INDEX_LIMIT] as string;
  // Strings with equal keys came out in input order: put each such run in order.
  let start = 0;
  while (start < n) {
    const key = Math.floor((keys[start] as number) / INDEX_LIMIT);
    let end = start + 1;
    while (end < n && Math.floor((keys[end] as number) / INDEX_LIMIT) === key) end++;
    if (end - start > 1) sortRun(sorted, start, end);
    start = end;
  }
  return sorted;
}

/**
 * Up to KEY_UNITS code units from `from` on, 7 bits each: 0 past the end, the unit + 1
 * below 126, and 127 for any unit from 126 up, after which the key stops (zeros). Two
 * strings whose keys differ first at some digit agree on every unit before it, so the
 * smaller key belongs to the smaller string; equal keys decide nothing.
 */
function keyOf(text: string, from: number): number {
  let key = 0;
  let stopped = false;
  for (let j = from; j < from + KEY_UNITS; j++) {
    let digit = 0;
    if (!stopped && j < text.length) {
      const unit = text.charCodeAt(j);
      digit = unit < 126 ? unit + 1 : 127;
      stopped = digit === 127;
    }
    key = key * 128 + digit;
  }
  return key;
}

function commonPrefixLength(items: readonly string[]): number {
  const first = items[0] as string;
  for (let p = 0; p < first.length; p++) {
    const unit = first.charCodeAt(p);
    for (let k = 1; k < items.length; k++) {
      if ((items[k] as string).charCodeAt(p) !== unit) return p;
    }
  }
  return first.length;
}

function sortRun(list: string[], start: number, end: number): void {
  if (end - start > SHORT_RUN) {
    const run = list.slice(start, end).sort();
    for (let k = 0; k < run.length; k++) list[start + k] = run[k] as string;
    return;
  }
  for (let k = start + 1; k < end; k++) {
    const item = list[k] as string;
    let j = k - 1;
    while (j >= start && (list[j] as string) > item) {
      list[j + 1] = list[j] as string;
      j--;
    }
    list[j + 1] = item;
  }
}
