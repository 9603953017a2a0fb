import type { ReceiverRequest } from "../http/types.ts";

/**
 * Whether a state-changing request comes from our own pages. A browser's
 * `Sec-Fetch-Site` says so directly (our pages send `Referrer-Policy: no-referrer`,
 * under which a form's `Origin` is "null" and there is no `Referer`); without it, the
 * `Origin`, else the `Referer`, must name the admin's origin: the configured public one,
 * else the request's own Host with the scheme the proxy reports. A request with none of
 * them is refused. The CSRF token is checked as well; this keeps a forged request from
 * even reaching it.
 */
export function fromSameOrigin(
  request: ReceiverRequest,
  publicOrigin: string | undefined,
): boolean {
  const site = request.header("sec-fetch-site");
  if (site !== null) return site === "same-origin";
  const expected = publicOrigin ?? ownOrigin(request);
  if (expected === undefined) return false;
  const origin = request.header("origin");
  if (origin !== null && origin !== "null") return origin === expected;
  const referer = request.header("referer");
  if (referer === null) return false;
  return URL.parse(referer)?.origin === expected;
}

function ownOrigin(request: ReceiverRequest): string | undefined {
  const host = request.header("host");
  if (!host) return undefined;
  const scheme =
    request.header("x-forwarded-proto") === "https"
      ? "https"
      : request.url.protocol.replace(":", "");
  return URL.parse(`${scheme}://${host}`)?.origin;
}
