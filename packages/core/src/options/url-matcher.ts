import type { UrlMatcher } from "./types.ts";

const compiledGlobs = new Map<string, RegExp>();

/**
 * A glob over a URL or path: `**` is any run of characters, `*` any run without "/",
 * `?` one character other than "/". A pattern without wildcards matches the string
 * itself and everything below it ("https://x.com/a" matches "https://x.com/a/b").
 */
export function globToRegExp(glob: string): RegExp {
  let cached = compiledGlobs.get(glob);
  if (cached) return cached;
  if (!/[*?]/.test(glob)) {
    const base = escapeRegExp(glob);
    const below = glob.endsWith("/") ? "" : "(?:[/?#].*)?";
    cached = new RegExp(`^${base}${glob.endsWith("/") ? ".*" : below}$`);
  } else {
    let source = "";
    for (let i = 0; i < glob.length; i++) {
      const char = glob[i] as string;
      if (char === "*" && glob[i + 1] === "*") {
        source += ".*";
        i++;
      } else if (char === "*") source += "[^/]*";
      else if (char === "?") source += "[^/]";
      else source += escapeRegExp(char);
    }
    cached = new RegExp(`^${source}$`);
  }
  compiledGlobs.set(glob, cached);
  return cached;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** True when any matcher accepts: globs and RegExps test `subject`, predicates get the URL. */
export function matchesAny(matchers: readonly UrlMatcher[], subject: string, url: URL): boolean {
  return firstMatch(matchers, subject, url) !== undefined;
}

/** The first matcher that accepts (see matchesAny), for telling the user which one did. */
export function firstMatch(
  matchers: readonly UrlMatcher[],
  subject: string,
  url: URL,
): UrlMatcher | undefined {
  for (const matcher of matchers) {
    if (typeof matcher === "string") {
      if (globToRegExp(matcher).test(subject)) return matcher;
    } else if (matcher instanceof RegExp) {
      matcher.lastIndex = 0;
      if (matcher.test(subject)) return matcher;
    } else if (matcher(url)) return matcher;
  }
  return undefined;
}

/** A matcher as the user wrote it: the glob, `/re/flags`, or `a function (name)`. */
export function describeMatcher(matcher: UrlMatcher): string {
  if (typeof matcher === "string") return matcher;
  if (matcher instanceof RegExp) return String(matcher);
  return matcher.name ? `a function (${matcher.name})` : "a function";
}
