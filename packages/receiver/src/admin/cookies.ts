/** The admin session cookie. */
export const SESSION_COOKIE = "sp-admin";

/** Cookie header to a map; a malformed pair is skipped, the first of a repeated name wins. */
export function parseCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export interface SessionCookie {
  value: string;
  /** Behind https: the cookie is never sent over plain http. */
  secure: boolean;
  maxAgeSeconds: number;
  /** The admin path: the cookie goes nowhere else on the host. */
  path: string;
}

/** HttpOnly, SameSite=Strict, Path=the admin path, Secure behind https, expiring. */
export function setSessionCookie(cookie: SessionCookie): string {
  const parts = [
    `${SESSION_COOKIE}=${cookie.value}`,
    `Path=${cookie.path}`,
    `Max-Age=${cookie.maxAgeSeconds}`,
    "HttpOnly",
    "SameSite=Strict",
  ];
  if (cookie.secure) parts.push("Secure");
  return parts.join("; ");
}

export function clearSessionCookie(secure: boolean, path: string): string {
  return setSessionCookie({ value: "", secure, maxAgeSeconds: 0, path });
}
