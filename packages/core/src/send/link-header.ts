/**
 * HTTP `Link` header parsing (RFC 8288, section 3), lenient and linear: a malformed
 * link-value is skipped up to the next top-level comma and the others still count;
 * every character is looked at a bounded number of times, so hostile headers cost
 * no more than their length.
 */

export interface LinkValue {
  /** The URI reference between `<` and `>`, unresolved. */
  target: string;
  /** Parameters by lowercase name; the first occurrence of a name wins (RFC 8288 3.3 for rel). */
  params: Record<string, string>;
}

function isOws(char: string | undefined): boolean {
  return char === " " || char === "\t";
}

class Cursor {
  readonly text: string;
  i = 0;
  constructor(text: string) {
    this.text = text;
  }
  char(): string | undefined {
    return this.text[this.i];
  }
  skipOws(): void {
    while (isOws(this.char())) this.i++;
  }
  /** Past the next comma that is not inside a quoted string (or to the end). */
  skipValue(): void {
    let quoted = false;
    for (; this.i < this.text.length; this.i++) {
      const char = this.text[this.i];
      if (quoted && char === "\\") this.i++;
      else if (char === '"') quoted = !quoted;
      else if (char === "," && !quoted) {
        this.i++;
        return;
      }
    }
  }
  /** A quoted-string starting at the opening quote; unescapes quoted-pairs. */
  quoted(): string {
    let out = "";
    this.i++;
    while (this.i < this.text.length) {
      const char = this.text[this.i++] as string;
      if (char === '"') return out;
      if (char === "\\" && this.i < this.text.length) out += this.text[this.i++];
      else out += char;
    }
    return out;
  }
  /** Characters up to (not including) one of `stops`, whitespace or the end. */
  token(stops: string): string {
    const start = this.i;
    while (this.i < this.text.length) {
      const char = this.text[this.i] as string;
      if (stops.includes(char) || isOws(char)) break;
      this.i++;
    }
    return this.text.slice(start, this.i);
  }
}

/** Reads `; name[=value]` parameters; false when the value turned out malformed. */
function readParams(cursor: Cursor, params: Record<string, string>): boolean {
  for (;;) {
    cursor.skipOws();
    if (cursor.char() === undefined) return true;
    if (cursor.char() === ",") {
      cursor.i++;
      return true;
    }
    if (cursor.char() !== ";") return false;
    cursor.i++;
    cursor.skipOws();
    const name = cursor.token("=;,").toLowerCase();
    cursor.skipOws();
    let value = "";
    if (cursor.char() === "=") {
      cursor.i++;
      cursor.skipOws();
      value = cursor.char() === '"' ? cursor.quoted() : cursor.token(";,");
    }
    if (name !== "" && !Object.hasOwn(params, name)) params[name] = value;
  }
}

/** All link-values of one `Link` header field value, in order. */
export function parseLinkHeader(value: string): LinkValue[] {
  const cursor = new Cursor(value);
  const links: LinkValue[] = [];
  while (cursor.i < value.length) {
    cursor.skipOws();
    if (cursor.char() === ",") {
      cursor.i++;
      continue;
    }
    if (cursor.char() === undefined) break;
    if (cursor.char() !== "<") {
      cursor.skipValue();
      continue;
    }
    const close = value.indexOf(">", cursor.i + 1);
    if (close === -1) break;
    const target = value.slice(cursor.i + 1, close).trim();
    cursor.i = close + 1;
    const params: Record<string, string> = Object.create(null);
    if (readParams(cursor, params)) links.push({ target, params });
    else cursor.skipValue();
  }
  return links;
}

/** Relation types of a `rel` value, lowercased (space-separated list, case-insensitive). */
export function relationTypes(rel: string | undefined): string[] {
  if (rel === undefined) return [];
  return rel
    .toLowerCase()
    .split(/[ \t\n\f\r]+/)
    .filter((type) => type !== "");
}

/**
 * The values of every `Link` header, in the order received, whatever the name's casing;
 * an array value (several header lines) is flattened.
 */
export function linkHeaderValues(headers: Record<string, string | string[] | undefined>): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== "link" || value === undefined) continue;
    if (Array.isArray(value)) values.push(...value);
    else values.push(value);
  }
  return values;
}
