import { escapeHtml } from "@static-pingback/core/received";

/** Markup that is already safe: only this module's `html` and `raw` make it. */
export class SafeHtml {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

type Value = SafeHtml | string | number | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined) return "";
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/**
 * A template whose every interpolated value is escaped unless it is SafeHtml: the
 * admin pages show strangers' titles, names and URLs, so escaping is the default and
 * markup the exception, never the other way round.
 */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0] as string;
  for (let k = 0; k < values.length; k++) out += render(values[k] as Value) + strings[k + 1];
  return new SafeHtml(out);
}

/** Trusted markup written in this package (never data). */
export function raw(text: string): SafeHtml {
  return new SafeHtml(text);
}
