import type { HostRule, MentionProperty, PingbackStatus, StoredPingback } from "../store/types.ts";
import { html, type SafeHtml } from "./html.ts";

export interface PageContext {
  /** The admin path, e.g. "/admin". */
  base: string;
  csrf?: string;
}

function layout(context: PageContext, title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · static-pingback</title>
<link rel="stylesheet" href="${context.base}/admin.css">
</head>
<body>
${body}
</body>
</html>
`.text;
}

export function signInPage(context: PageContext, problem?: string): string {
  return layout(
    context,
    "Sign in",
    html`<main>
<h1>static-pingback moderation</h1>
${problem ? html`<p class="notice" role="alert">${problem}</p>` : ""}
<form method="post" action="${context.base}/sign-in">
<label>Admin token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
<button type="submit">Sign in</button>
</form>
</main>`,
  );
}

/** The page's tabs: the moderation statuses, and mentions removed because their source went. */
export type ListTab = PingbackStatus | "deleted";
export const LIST_TABS: readonly ListTab[] = ["pending", "approved", "spam", "rejected", "deleted"];

const KIND_NAMES: Record<MentionProperty, string> = {
  "in-reply-to": "reply",
  "like-of": "like",
  "repost-of": "repost",
  "bookmark-of": "bookmark",
  "mention-of": "mention",
};

export interface ListView {
  status: ListTab;
  /** Filters as given (shown back in the form). */
  target: string;
  host: string;
  rows: readonly StoredPingback[];
  total: number;
  offset: number;
  pageSize: number;
  /** One line about the last action ("2 approved"). */
  notice?: string;
}

function query(view: ListView, changes: Partial<Pick<ListView, "status" | "offset">>): string {
  const params = new URLSearchParams({ status: changes.status ?? view.status });
  if (view.target) params.set("target", view.target);
  if (view.host) params.set("host", view.host);
  const offset = changes.offset ?? 0;
  if (offset > 0) params.set("offset", String(offset));
  return `?${params}`;
}

/** http(s) URLs only become links; anything else is shown as text. */
function link(url: string | null, text: string): SafeHtml {
  if (!url || !/^https?:\/\//i.test(url)) return html`${text}`;
  return html`<a href="${url}" rel="nofollow ugc noopener noreferrer">${text}</a>`;
}

function verification(row: StoredPingback): string {
  if (row.verification === "failed" && row.faultCode !== null) {
    return `failed (fault ${row.faultCode}${row.reason ? `: ${row.reason}` : ""})`;
  }
  if (row.verification === "deleted" && row.reason) return `deleted (${row.reason})`;
  return row.verification;
}

function hostButtons(context: PageContext, host: string): SafeHtml {
  const action = `${context.base}/hosts`;
  return html`<button type="submit" name="rule" value="trust:${host}" formaction="${action}" class="small">trust ${host}</button>
<button type="submit" name="rule" value="block:${host}" formaction="${action}" class="small">block ${host}</button>`;
}

function mentionRow(context: PageContext, row: StoredPingback): SafeHtml {
  const post = row.post;
  const title = post.title ?? row.source;
  return html`<tr>
<td><input type="checkbox" name="id" value="${row.id}" aria-label="select ${title}"></td>
<td class="what">
<div>${link(row.source, title)}</div>
${post.excerpt ? html`<p class="excerpt">${post.excerpt}</p>` : ""}
<div class="meta">by ${post.authorName ? link(post.authorUrl, post.authorName) : "unknown"} · ${row.sourceHost} · on ${link(row.target, new URL(row.target).pathname)}</div>
</td>
<td class="meta">${hostButtons(context, row.sourceHost)}</td>
<td class="meta">${row.protocol} · ${KIND_NAMES[post.property ?? "mention-of"] ?? "mention"}<br>${row.status}<br>${verification(row)}</td>
<td class="meta"><time datetime="${row.receivedAt}">${row.receivedAt.slice(0, 16).replace("T", " ")}</time></td>
</tr>`;
}

export function listPage(context: PageContext, view: ListView): string {
  const tabs = [
    ...LIST_TABS.map(
      (status) =>
        html`<a href="${context.base}/${query(view, { status })}"${status === view.status ? html` aria-current="page"` : ""}>${status}</a>`,
    ),
    html`<a href="${context.base}/hosts">hosts</a>`,
  ];
  const more = view.offset + view.rows.length < view.total;
  const paging = html`<nav class="paging">
${view.offset > 0 ? html`<a href="${context.base}/${query(view, { offset: Math.max(0, view.offset - view.pageSize) })}">newer</a>` : ""}
<span>${view.total === 0 ? "none" : `${view.offset + 1}–${view.offset + view.rows.length} of ${view.total}`}</span>
${more ? html`<a href="${context.base}/${query(view, { offset: view.offset + view.pageSize })}">older</a>` : ""}
</nav>`;
  return layout(
    context,
    `${view.status} mentions`,
    html`<header>
<h1>Mentions</h1>
<form method="post" action="${context.base}/sign-out"><input type="hidden" name="csrf" value="${context.csrf ?? ""}"><button type="submit">Sign out</button></form>
</header>
<nav class="tabs">${tabs}</nav>
${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ""}
<form class="filters" method="get" action="${context.base}/">
<input type="hidden" name="status" value="${view.status}">
<label>Page <input type="text" name="target" value="${view.target}" placeholder="https://your.site/post/"></label>
<label>Source host <input type="text" name="host" value="${view.host}" placeholder="example.com"></label>
<button type="submit">Filter</button>
</form>
<form method="post" action="${context.base}/moderate">
<input type="hidden" name="csrf" value="${context.csrf ?? ""}">
<input type="hidden" name="back" value="${query(view, { offset: view.offset })}">
<div class="actions">
<button type="submit" name="action" value="approve">Approve</button>
<button type="submit" name="action" value="reject">Reject</button>
<button type="submit" name="action" value="spam">Spam</button>
<button type="submit" name="action" value="delete">Delete</button>
<label><input type="checkbox" name="block-hosts"> and block their hosts (spam, delete)</label>
</div>
<table>
<thead><tr><th></th><th>Source</th><th>Host</th><th>Protocol · kind · status · check</th><th>Received</th></tr></thead>
<tbody>
${view.rows.map((row) => mentionRow(context, row))}
</tbody>
</table>
</form>
${paging}`,
  );
}

/** The trusted and blocked hosts, with a way to add and forget them. */
export function hostsPage(
  context: PageContext,
  rules: readonly HostRule[],
  notice?: string,
): string {
  const rows = rules.map(
    (
      rule,
    ) => html`<tr><td>${rule.host}</td><td>${rule.rule}</td><td class="meta">${rule.origin}, ${rule.createdAt.slice(0, 10)}</td>
<td><button type="submit" name="rule" value="forget:${rule.host}">forget</button></td></tr>`,
  );
  return layout(
    context,
    "Hosts",
    html`<header>
<h1>Trusted and blocked hosts</h1>
<a href="${context.base}/">back to mentions</a>
</header>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}
<p>Mentions from a trusted host are approved at once; from a blocked host they are stored as spam, the source never fetched.</p>
<form method="post" action="${context.base}/hosts" class="filters">
<input type="hidden" name="csrf" value="${context.csrf ?? ""}">
<input type="hidden" name="back" value="hosts">
<label>Host <input type="text" name="host" placeholder="example.com or *.example.com" required></label>
<button type="submit" name="verb" value="trust">Trust</button>
<button type="submit" name="verb" value="block">Block</button>
</form>
<form method="post" action="${context.base}/hosts">
<input type="hidden" name="csrf" value="${context.csrf ?? ""}">
<input type="hidden" name="back" value="hosts">
<table><thead><tr><th>Host</th><th>Rule</th><th>Set by</th><th></th></tr></thead>
<tbody>${rows.length > 0 ? rows : html`<tr><td colspan="4">none yet</td></tr>`}</tbody></table>
</form>`,
  );
}
