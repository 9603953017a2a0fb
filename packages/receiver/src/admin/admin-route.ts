import { hostPattern } from "../hosts/host-pattern.ts";
import type { HostRules } from "../hosts/host-rules.ts";
import type { ReceiverRequest, ReceiverResponse } from "../http/types.ts";
import { TokenBuckets } from "../limits/token-buckets.ts";
import { ACTION_DONE, type ModerationAction, moderate, parseIds } from "../moderation.ts";
import type { ListQuery, PingbackStore, StoredPingback } from "../store/types.ts";
import { MIN_ADMIN_TOKEN_LENGTH } from "./admin-options.ts";
import { ADMIN_CSS } from "./admin-style.ts";
import { clearSessionCookie, parseCookies, SESSION_COOKIE, setSessionCookie } from "./cookies.ts";
import { readForm } from "./form-body.ts";
import {
  hostsPage,
  LIST_TABS,
  type ListTab,
  type ListView,
  listPage,
  type PageContext,
  signInPage,
} from "./pages.ts";
import { FEED_SIZE, pendingFeed } from "./pending-feed.ts";
import { fromSameOrigin } from "./same-origin.ts";
import { ADMIN_HEADERS } from "./security-headers.ts";
import { type AdminSession, AdminSessions, sameSecret } from "./sessions.ts";

export interface AdminConfig {
  /** Where the page lives, e.g. "/admin". */
  path: string;
  /** The owner's secret; without one there is no admin page at all. */
  token: string;
  /** The public origin (e.g. "https://mentions.example.com") when a proxy rewrites Host. */
  origin?: string | undefined;
  /** Mark the cookie Secure: always, never, or "auto" (https per the origin or X-Forwarded-Proto). */
  secureCookies: boolean | "auto";
  sessionTtlMs: number;
  /** Deadline for a form body, ms. */
  bodyDeadlineMs: number;
  /** The site: names the feed. */
  site: URL;
  /** The feed key now (asked on every feed request), or none: no feed. */
  feedKey: (() => string | undefined | Promise<string | undefined>) | undefined;
}

export const ADMIN_PAGE_SIZE = 50;
const ACTIONS: readonly ModerationAction[] = ["approve", "reject", "spam", "delete"];

function answer(
  status: number,
  body: string,
  type = "text/html; charset=utf-8",
  headers: Record<string, string> = {},
): ReceiverResponse {
  return { status, headers: { ...ADMIN_HEADERS, "content-type": type, ...headers }, body };
}

function redirect(location: string, headers: Record<string, string> = {}): ReceiverResponse {
  return { status: 303, headers: { ...ADMIN_HEADERS, location, ...headers }, body: "" };
}

const FORBIDDEN = "forbidden: sign in again from the admin page\n";

/**
 * The moderation page: sign-in with the owner's token, a session cookie, the lists by
 * status with filters and paging, and actions on one or many mentions. Every state
 * change is a POST with the session's CSRF token from a page of the same origin.
 */
export class AdminRoute {
  readonly #config: AdminConfig;
  readonly #store: PingbackStore;
  readonly #sessions: AdminSessions;
  // Five tries at once, then one every 12 s per client: a token cannot be guessed online.
  readonly #signIns = new TokenBuckets({ capacity: 5, refillPerSecond: 1 / 12 }, 10_000);

  readonly #hosts: HostRules;

  constructor(config: AdminConfig, store: PingbackStore, hosts: HostRules) {
    this.#config = config;
    this.#store = store;
    this.#hosts = hosts;
    this.#sessions = new AdminSessions(config.sessionTtlMs);
  }

  matches(path: string): boolean {
    return path === this.#config.path || path.startsWith(`${this.#config.path}/`);
  }

  async handle(request: ReceiverRequest): Promise<ReceiverResponse> {
    const base = this.#config.path;
    const sub = request.url.pathname.slice(base.length) || "/";
    const session = this.#session(request);
    if (request.method === "GET" || request.method === "HEAD") {
      if (sub === "/admin.css") return answer(200, ADMIN_CSS, "text/css; charset=utf-8");
      if (sub.startsWith("/feed/")) return this.#feed(request, sub.slice("/feed/".length));
      if (sub === "/hosts" && session) {
        return answer(200, this.#hostsView(request, { base, csrf: session.csrf }));
      }
      if (sub !== "/") return answer(404, "not found\n", "text/plain; charset=utf-8");
      if (!session) return answer(200, signInPage({ base }));
      return answer(200, await this.#list(request, { base, csrf: session.csrf }));
    }
    if (request.method !== "POST") {
      return answer(405, "GET or POST only\n", "text/plain; charset=utf-8", {
        allow: "GET, HEAD, POST",
      });
    }
    if (!fromSameOrigin(request, this.#config.origin)) {
      return answer(403, FORBIDDEN, "text/plain; charset=utf-8");
    }
    if (sub === "/sign-in") return this.#signIn(request);
    const form = await readForm(request, this.#config.bodyDeadlineMs);
    if (!session || !form || !sameSecret(form.get("csrf") ?? "", session.csrf)) {
      return answer(403, FORBIDDEN, "text/plain; charset=utf-8");
    }
    if (sub === "/sign-out") {
      this.#sessions.end(session.id);
      return redirect(`${base}/`, {
        "set-cookie": clearSessionCookie(this.#secure(request), base),
      });
    }
    if (sub === "/moderate") return this.#moderate(form);
    if (sub === "/hosts") return this.#hostRule(form);
    return answer(404, "not found\n", "text/plain; charset=utf-8");
  }

  /** The private feed: 404 for a wrong, revoked or missing key (it does not say which). */
  async #feed(request: ReceiverRequest, given: string): Promise<ReceiverResponse> {
    const notFound = answer(404, "not found\n", "text/plain; charset=utf-8");
    const allowed = this.#signIns.take(request.clientAddress);
    if (!allowed.ok) {
      return answer(429, "too many attempts\n", "text/plain; charset=utf-8", {
        "retry-after": String(allowed.retryAfterSeconds),
      });
    }
    const key = (await this.#config.feedKey?.())?.trim();
    if (!key || key.length < MIN_ADMIN_TOKEN_LENGTH || !sameSecret(decodeKey(given), key)) {
      return notFound;
    }
    this.#signIns.refund(request.clientAddress);
    const rows = await this.#store.list({ status: "pending", limit: FEED_SIZE });
    const origin = this.#config.origin ?? `http://${request.header("host") ?? "localhost"}`;
    const body = pendingFeed(rows, {
      site: this.#config.site,
      pageUrl: `${origin}${this.#config.path}/`,
      updated: rows[0]?.receivedAt ?? (await this.#store.lastChange()),
    });
    return answer(200, body, "application/atom+xml; charset=utf-8", { "x-robots-tag": "noindex" });
  }

  #session(request: ReceiverRequest): AdminSession | undefined {
    return this.#sessions.get(parseCookies(request.header("cookie")).get(SESSION_COOKIE));
  }

  #secure(request: ReceiverRequest): boolean {
    const { secureCookies, origin } = this.#config;
    if (secureCookies !== "auto") return secureCookies;
    return origin?.startsWith("https:") || request.header("x-forwarded-proto") === "https";
  }

  async #signIn(request: ReceiverRequest): Promise<ReceiverResponse> {
    const base = this.#config.path;
    const allowed = this.#signIns.take(request.clientAddress);
    if (!allowed.ok) {
      return answer(429, signInPage({ base }, "Too many attempts; wait a minute."), undefined, {
        "retry-after": String(allowed.retryAfterSeconds),
      });
    }
    const form = await readForm(request, this.#config.bodyDeadlineMs);
    if (!form || !sameSecret(form.get("token") ?? "", this.#config.token)) {
      return answer(401, signInPage({ base }, "That is not the admin token."));
    }
    // Only failed attempts count against the client.
    this.#signIns.refund(request.clientAddress);
    const session = this.#sessions.create();
    const cookie = setSessionCookie({
      value: session.id,
      secure: this.#secure(request),
      maxAgeSeconds: Math.floor(this.#config.sessionTtlMs / 1000),
      path: base,
    });
    return redirect(`${base}/`, { "set-cookie": cookie });
  }

  async #moderate(form: URLSearchParams): Promise<ReceiverResponse> {
    const action = form.get("action") as ModerationAction | null;
    let ids: number[];
    try {
      ids = parseIds(form.getAll("id"));
    } catch {
      return answer(400, "bad id\n", "text/plain; charset=utf-8");
    }
    if (action === null || !ACTIONS.includes(action)) {
      return answer(400, "unknown action\n", "text/plain; charset=utf-8");
    }
    // Hosts before the rows change (a deleted row no longer says where it came from).
    const rows = ids.length > 0 ? await this.#rowsOf(ids) : [];
    const result = ids.length > 0 ? await moderate(this.#store, action, ids) : { changed: [] };
    const hosts = new Set(rows.map((row) => row.sourceHost));
    if ((action === "spam" || action === "delete") && form.get("block-hosts") === "on") {
      for (const host of hosts) await this.#hosts.set(host, "block");
    }
    if (action === "approve") await this.#hosts.learnFrom(hosts);
    const back = new URLSearchParams(backQuery(form.get("back")));
    back.set("done", action);
    back.set("n", String(result.changed.length));
    return redirect(`${this.#config.path}/?${back}`);
  }

  async #rowsOf(ids: readonly number[]): Promise<StoredPingback[]> {
    const rows: StoredPingback[] = [];
    for (const id of ids) {
      const [row] = await this.#store.list({ id, limit: 1 });
      if (row) rows.push(row);
    }
    return rows;
  }

  /** "trust:host", "block:host" or "forget:host", from a row's buttons or the hosts tab. */
  async #hostRule(form: URLSearchParams): Promise<ReceiverResponse> {
    // A row's button says "verb:host"; the hosts tab's form sends them apart.
    const [verb, given] = form.has("verb")
      ? [form.get("verb"), form.get("host")]
      : (form.get("rule") ?? "").split(/:(.*)/s);
    const host = hostPattern(given ?? "");
    if (host === undefined || (verb !== "trust" && verb !== "block" && verb !== "forget")) {
      return answer(400, "bad host rule\n", "text/plain; charset=utf-8");
    }
    await this.#hosts.set(host, verb === "forget" ? null : verb);
    if (form.get("back") === "hosts") {
      return redirect(`${this.#config.path}/hosts?${new URLSearchParams({ done: verb, host })}`);
    }
    const back = new URLSearchParams(backQuery(form.get("back")));
    back.set("done", verb);
    back.set("host", host);
    return redirect(`${this.#config.path}/?${back}`);
  }

  #hostsView(request: ReceiverRequest, context: PageContext): string {
    return hostsPage(context, this.#hosts.rules(), hostNotice(request.url.searchParams));
  }

  async #list(request: ReceiverRequest, context: PageContext): Promise<string> {
    const params = request.url.searchParams;
    const asked = params.get("status") as ListTab | null;
    const status = asked && LIST_TABS.includes(asked) ? asked : "pending";
    const target = (params.get("target") ?? "").trim().slice(0, 2048);
    const host = (params.get("host") ?? "").trim().toLowerCase().slice(0, 253);
    const offset = Math.min(
      Math.max(0, Number.parseInt(params.get("offset") ?? "0", 10) || 0),
      1e9,
    );
    const query: ListQuery = {
      // A deleted mention keeps its status; it shows under "deleted" only.
      ...(status === "deleted" ? { deleted: true } : { status, deleted: false }),
      ...(target ? { target } : {}),
      ...(host ? { sourceHost: host } : {}),
    };
    const [rows, total] = await Promise.all([
      this.#store.list({ ...query, limit: ADMIN_PAGE_SIZE, offset }),
      this.#store.count(query),
    ]);
    const view: ListView = { status, target, host, rows, total, offset, pageSize: ADMIN_PAGE_SIZE };
    const done = params.get("done") as ModerationAction | null;
    const count = Number.parseInt(params.get("n") ?? "", 10);
    if (done && ACTIONS.includes(done) && Number.isInteger(count)) {
      view.notice = `${count} ${count === 1 ? "mention" : "mentions"} ${ACTION_DONE[done]}.`;
    }
    view.notice ??= hostNotice(params);
    return listPage(context, view);
  }
}

const HOST_DONE: Record<string, string> = {
  trust: "is now trusted",
  block: "is now blocked",
  forget: "has no rule any more",
};

/** "example.com is now blocked." after a host rule (the host is escaped where shown). */
function hostNotice(params: URLSearchParams): string | undefined {
  const done = HOST_DONE[params.get("done") ?? ""];
  const host = hostPattern(params.get("host") ?? "");
  return done && host ? `${host} ${done}.` : undefined;
}

function decodeKey(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return "";
  }
}

/** The list's own query string, kept across an action; anything else is dropped. */
function backQuery(value: string | null): string {
  const given = new URLSearchParams(value?.startsWith("?") ? value.slice(1) : "");
  const kept = new URLSearchParams();
  for (const key of ["status", "target", "host", "offset"]) {
    const each = given.get(key);
    if (each) kept.set(key, each.slice(0, 2048));
  }
  return kept.toString();
}
