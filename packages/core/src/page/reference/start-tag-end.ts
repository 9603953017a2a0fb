const SPACE = new Set(["\t", "\n", "\f", "\r", " "]);

/**
 * Index just past the `>` that closes the start tag beginning at `lt` (a "<"),
 * following the HTML tokenizer's attribute states so that a ">" inside a quoted
 * attribute value does not end the tag. Returns the input length if the tag never closes.
 */
export function startTagEnd(html: string, lt: number): number {
  const n = html.length;
  let i = lt + 1;
  while (i < n && !SPACE.has(html[i] as string) && html[i] !== "/" && html[i] !== ">") i++;
  for (;;) {
    while (i < n && (SPACE.has(html[i] as string) || html[i] === "/")) i++;
    if (i >= n) return n;
    if (html[i] === ">") return i + 1;
    // Attribute name; its first character may be "=", which then belongs to the name.
    i++;
    while (i < n && !SPACE.has(html[i] as string) && !"/>=".includes(html[i] as string)) i++;
    while (i < n && SPACE.has(html[i] as string)) i++;
    if (html[i] !== "=") continue;
    i++;
    while (i < n && SPACE.has(html[i] as string)) i++;
    const quote = html[i];
    if (quote === '"' || quote === "'") {
      const close = html.indexOf(quote, i + 1);
      if (close === -1) return n;
      i = close + 1;
    } else {
      while (i < n && !SPACE.has(html[i] as string) && html[i] !== ">") i++;
    }
  }
}
