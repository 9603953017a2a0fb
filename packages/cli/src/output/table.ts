/** Width of text as shown (ANSI colour codes do not count). */
function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI escapes
  return text.replace(/\u001b\[[0-9;]*m/g, "").length;
}

/** A plain aligned table: header row, a rule, then rows. Numeric-looking cells align right. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((title, column) =>
    Math.max(visibleLength(title), ...rows.map((row) => visibleLength(row[column] ?? ""))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => {
        const pad = " ".repeat((widths[column] ?? 0) - visibleLength(cell));
        return /^\d+$/.test(cell) ? pad + cell : cell + pad;
      })
      .join("  ")
      .trimEnd();
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [line(header), rule, ...rows.map(line)].join("\n");
}
