import { PingbackOptionsError } from "./options-error.ts";

/**
 * The one check for option names, used by core, the adapters and `received`: a key
 * that is not an option is an error that lists every option of that place and
 * suggests the nearest name ("recieved" → "received").
 */
export function rejectUnknownOptions(
  input: Readonly<Record<string, unknown>>,
  known: readonly string[],
  packageName: string,
  /** For nested options: "received" gives `received.url`. */
  parent?: string,
): void {
  for (const key of Object.keys(input)) {
    if (known.includes(key) || input[key] === undefined) continue;
    const option = parent ? `${parent}.${key}` : key;
    const nearest = nearestName(key, known);
    const hint = nearest === undefined ? "" : ` Did you mean "${nearest}"?`;
    throw new PingbackOptionsError(
      packageName,
      option,
      `is not a known option.${hint} Known options${parent ? ` of "${parent}"` : ""}: ${known.join(", ")}`,
    );
  }
}

/**
 * The candidate closest to `name` by edit distance (insertions, deletions,
 * substitutions and swaps of neighbours; case ignored), when it is close enough to be
 * a typo: at most a third of the name's length, 1 to 3 edits.
 */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance (Damerau–Levenshtein without repeated edits of a substring). */
export function editDistance(a: string, b: string): number {
  // Rows i-2, i-1 and i of the classic table; option names are short.
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (before[j - 2] as number) + 1);
      }
      current.push(value);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] as number;
}
