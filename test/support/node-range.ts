/**
 * Does a Node version satisfy an `engines.node` range? The subset of npm's semver
 * ranges that package.json files use: `||` alternatives of space-separated
 * comparators (>=, >, <=, <, =), caret and tilde ranges, x-ranges ("22", "22.x", "*")
 * and hyphen ranges ("18 - 22"). Pre-release tags are not needed for Node releases.
 */
type Version = [number, number, number];

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

/** "22.19" → [22, 19, null]: the parts given, null for x or missing. */
function partial(text: string): [number | null, number | null, number | null] {
  const parts = text.replace(/^v/, "").split(".");
  const part = (i: number) => {
    const value = parts[i];
    return value === undefined || /^[x*]$/i.test(value) ? null : Number.parseInt(value, 10);
  };
  return [part(0), part(1), part(2)];
}

function lowest(text: string): Version {
  const [a, b, c] = partial(text);
  return [a ?? 0, b ?? 0, c ?? 0];
}

/** The comparators one range part stands for, as [operator, version] pairs. */
function comparators(token: string): [string, Version][] {
  const match = /^(>=|<=|>|<|=|\^|~)?\s*(.+)$/.exec(token);
  if (!match) throw new Error(`unreadable range part ${JSON.stringify(token)}`);
  const operator = match[1] ?? "";
  const text = match[2] as string;
  const [a, b, c] = partial(text);
  const low = lowest(text);
  if (operator === "^" || operator === "~" || operator === "" || operator === "=") {
    if (a === null) return [];
    // The first version past the range.
    let high: Version;
    if (operator === "^") {
      high =
        a > 0 || b === null ? [a + 1, 0, 0] : b > 0 || c === null ? [0, b + 1, 0] : [0, 0, c + 1];
    } else if (operator === "~") {
      high = b === null ? [a + 1, 0, 0] : [a, b + 1, 0];
    } else {
      high = b === null ? [a + 1, 0, 0] : c === null ? [a, b + 1, 0] : [a, b, c + 1];
    }
    return [
      [">=", low],
      ["<", high],
    ];
  }
  return [[operator, low]];
}

function test(version: Version, [operator, bound]: [string, Version]): boolean {
  const order = compare(version, bound);
  if (operator === ">=") return order >= 0;
  if (operator === ">") return order > 0;
  if (operator === "<=") return order <= 0;
  if (operator === "<") return order < 0;
  return order === 0;
}

export function satisfiesRange(version: string, range: string): boolean {
  const have = lowest(version);
  return range.split("||").some((alternative) => {
    const text = alternative.trim();
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    const list: [string, Version][] = hyphen
      ? // "18 - 22.1" is >=18.0.0 and below 22.2.0: the upper end covers what it leaves out.
        [[">=", lowest(hyphen[1] as string)], ...comparators(hyphen[2] as string).slice(1)]
      : text
          .replace(/(>=|<=|>|<|=|\^|~)\s+/g, "$1")
          .split(/\s+/)
          .filter(Boolean)
          .flatMap(comparators);
    return list.every((comparator) => test(have, comparator));
  });
}
