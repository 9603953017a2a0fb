import type { RenderOptions } from "./render.ts";
import { PINGBACK_CLASSES as C, DEFAULTS } from "./render-defaults.ts";
import {
  positive,
  renderAuthor,
  renderDate,
  safeHref,
  siteName,
  withWord,
} from "./render-parts.ts";
import { cleanText, escapeHtml } from "./text.ts";
import type { ReceivedEntry } from "./types.ts";

/** ` lang="…"` (and `hreflang` on links) for the source's language, when known. */
function langOf(entry: ReceivedEntry, link: boolean): string {
  if (!entry.lang) return "";
  const lang = escapeHtml(entry.lang);
  return link ? ` hreflang="${lang}" lang="${lang}"` : ` lang="${lang}"`;
}

/**
 * The author's avatar: the copy the build saved (`received.avatars`), unless the
 * template says `avatars: false` or maps the photo URL itself.
 */
function avatar(entry: ReceivedEntry, options: RenderOptions): string {
  if (options.avatars === false) return "";
  const photo = safeHref(entry.author?.photo);
  const mapped =
    typeof options.avatars === "function" ? photo && options.avatars(photo) : entry.author?.avatar;
  // A path on the site itself (a copy saved by the build), or an http(s) URL; nothing else.
  const shown = typeof mapped === "string" && /^\/(?!\/)/.test(mapped) ? mapped : safeHref(mapped);
  if (!shown) return "";
  return `<img class="${C.avatar} u-photo" src="${escapeHtml(shown)}" alt="" width="32" height="32" loading="lazy" decoding="async"> `;
}

/**
 * Replies as short comments, oldest first: "Ann replied on 27 November 2026"
 * (the words and the date link to the reply) and a capped plain-text excerpt in
 * the reply's language. Each is an `h-cite` with `p-author h-card`, `u-url`,
 * `dt-published` and `p-content`.
 */
export function renderReplies(entries: readonly ReceivedEntry[], options: RenderOptions): string {
  const maxName = positive(options.maxNameLength, DEFAULTS.maxNameLength);
  const maxExcerpt = positive(options.maxExcerptLength, DEFAULTS.maxExcerptLength);
  const items = entries.map((entry) => {
    const author = renderAuthor(entry, maxName, C) ?? "";
    const date = renderDate(entry.published ?? entry.received, options, C.date);
    const replied = options.repliedText ?? DEFAULTS.repliedText;
    const words = [
      replied === "" ? "" : escapeHtml(replied),
      date ? withWord(options.onText ?? DEFAULTS.onText, date) : "",
    ]
      .filter(Boolean)
      .join(" ");
    const source = safeHref(entry.source);
    const permalink = source
      ? `<a class="${C.permalink} u-url" href="${escapeHtml(source)}"${langOf(entry, true)}>${words || escapeHtml(siteName(source, maxName) ?? "")}</a>`
      : words;
    const text = cleanText(entry.excerpt ?? entry.title, maxExcerpt);
    const excerpt = text
      ? `<p class="${C.excerpt} p-content"${langOf(entry, false)}>${escapeHtml(text)}</p>`
      : "";
    return (
      `<li class="${C.reply} h-cite"><p class="${C.replyMeta}">${avatar(entry, options)}` +
      `${author} ${permalink}</p>${excerpt}</li>`
    );
  });
  return `<ol class="${C.replies}">${items.join("")}</ol>`;
}

/**
 * Likes or reposts as one line of names read as a list in the page's language
 * ("Ann, Bo and Cy" for en, via Intl.ListFormat): each name an `h-cite` linking
 * to the like or repost, its author a `p-author h-card`.
 */
export function renderPeople(entries: readonly ReceivedEntry[], options: RenderOptions): string {
  const maxName = positive(options.maxNameLength, DEFAULTS.maxNameLength);
  const people = entries.map((entry) => {
    const name = cleanText(entry.author?.name, maxName) ?? siteName(entry.source, maxName) ?? "";
    const source = safeHref(entry.source);
    const card = `<span class="p-author h-card">${avatar(entry, options)}<span class="p-name">${escapeHtml(name)}</span></span>`;
    const inner = source
      ? `<a class="u-url" href="${escapeHtml(source)}"${langOf(entry, true)}>${card}</a>`
      : card;
    return `<span class="${C.person} h-cite">${inner}</span>`;
  });
  return `<p class="${C.people}">${joinAsList(people, options.lang)}</p>`;
}

/** Markup pieces joined by the page language's list words ("a, b and c"); literals escaped. */
function joinAsList(pieces: readonly string[], lang = "en"): string {
  let format: Intl.ListFormat;
  try {
    format = new Intl.ListFormat(lang, { style: "long", type: "conjunction" });
  } catch {
    format = new Intl.ListFormat("en", { style: "long", type: "conjunction" });
  }
  const slots = pieces.map((_, index) => `\u0000${index}\u0000`);
  return format
    .formatToParts(slots)
    .map((part) =>
      part.type === "element"
        ? (pieces[Number(part.value.slice(1, -1))] ?? "")
        : escapeHtml(part.value),
    )
    .join("");
}
