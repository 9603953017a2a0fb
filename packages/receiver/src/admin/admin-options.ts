import type { AdminConfig } from "./admin-route.ts";

/** The moderation page's options (`ReceiverOptions.admin`). Without them there is no page. */
export interface AdminOptions {
  /** The owner's secret for signing in: at least 20 characters (a generated one; see the README). */
  token: string;
  /** Where the page lives. Default "/admin". */
  path?: string;
  /** The public origin behind a proxy that rewrites Host, e.g. "https://mentions.example.com". */
  origin?: string;
  /** Secure cookies: true, false, or "auto" (https per `origin` or X-Forwarded-Proto). Default "auto". */
  secureCookies?: boolean | "auto";
  /** A session lasts this long, ms. Default 8 hours. */
  sessionTtlMs?: number;
  /**
   * The key of the private Atom feed of pending mentions (`{path}/feed/KEY`), at least 20
   * characters; a function is asked on every request, so a key can be revoked or replaced
   * while the receiver runs (the CLI re-reads `--feed-key-file`). No feed without it.
   */
  feedKey?: string | (() => string | undefined | Promise<string | undefined>);
}

export const MIN_ADMIN_TOKEN_LENGTH = 20;

/** Validates `admin`; `fail` throws the receiver's own options error. */
export function resolveAdminOptions(
  admin: AdminOptions | undefined,
  site: URL,
  bodyDeadlineMs: number,
  fail: (message: string) => never,
): AdminConfig | undefined {
  if (admin === undefined) return undefined;
  if (typeof admin.token !== "string" || admin.token.trim().length < MIN_ADMIN_TOKEN_LENGTH) {
    fail(
      `admin.token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (e.g. \`openssl rand -base64 32\`)`,
    );
  }
  const path = admin.path ?? "/admin";
  if (!/^\/[A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]+)*$/.test(path)) {
    fail(`admin.path must be a path like "/admin", not ${JSON.stringify(path)}`);
  }
  let origin: string | undefined;
  if (admin.origin !== undefined) {
    const url = URL.parse(admin.origin);
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
      fail(`admin.origin must be an http(s) origin, not ${JSON.stringify(admin.origin)}`);
    }
    origin = url.origin;
  }
  const secureCookies = admin.secureCookies ?? "auto";
  if (secureCookies !== "auto" && typeof secureCookies !== "boolean") {
    fail('admin.secureCookies must be true, false or "auto"');
  }
  const sessionTtlMs = admin.sessionTtlMs ?? 8 * 3600_000;
  if (!Number.isInteger(sessionTtlMs) || sessionTtlMs < 60_000) {
    fail("admin.sessionTtlMs must be an integer of at least 60000 (one minute)");
  }
  const { feedKey } = admin;
  if (typeof feedKey === "string" && feedKey.trim().length < MIN_ADMIN_TOKEN_LENGTH) {
    fail(`admin.feedKey must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  }
  if (feedKey !== undefined && typeof feedKey !== "string" && typeof feedKey !== "function") {
    fail("admin.feedKey must be a string or a function");
  }
  return {
    path,
    token: admin.token.trim(),
    origin,
    secureCookies,
    sessionTtlMs,
    bodyDeadlineMs,
    site,
    feedKey: typeof feedKey === "string" ? () => feedKey.trim() : feedKey,
  };
}
