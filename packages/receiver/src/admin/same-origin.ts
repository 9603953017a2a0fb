import type { ReceiverRequest } from "../http/types.ts";

/**
 * Whether a state-changing request comes from our own pages: its `Origin` (or, where a
 * browser sends none, its `Referer`) must name the admin's origin. The origin is the
 * configured public one, else the request's own Host with the scheme the proxy reports.
 * A request with neither header is refused: every browser that can sign in sends one.
 */
export function fromSameOrigin(
  request: ReceiverRequest,
  publicOrigin: string | undefined,
): boolean {
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
