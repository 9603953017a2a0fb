/**
 * How a received entry's date reads on the page: the calendar date in the page's
 * language ("27 November 2026" for en, "27. November 2026" for de), in UTC so the
 * same data gives the same page on every build machine.
 */

/** The language used when the page's is not given: the default words are English too. */
export const DEFAULT_DATE_LANG = "en";

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A date formatter for `lang` (a BCP 47 tag); a clear error for a tag that is not one. */
export function dateFormatter(lang: string = DEFAULT_DATE_LANG): Intl.DateTimeFormat {
  let formatter = formatters.get(lang);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" });
    } catch {
      throw new RangeError(
        `render option lang: ${JSON.stringify(lang)} is not a language tag (use one such as "en" or "de-CH")`,
      );
    }
    formatters.set(lang, formatter);
  }
  return formatter;
}
