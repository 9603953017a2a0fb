import type { BuildSession } from "./build-session.ts";

/**
 * A prerendered page as a web-standard middleware sees it (Astro's, at build time):
 * an HTML page with status 200 goes to `session.prerender` and comes back with the
 * link elements in a new response; any other response passes through untouched, as
 * does a page the session cannot process (the end of the build reports it).
 */
export async function prerenderedResponse(
  session: Pick<BuildSession, "prerender">,
  page: { url: URL; key: string },
  response: Response,
): Promise<Response> {
  if (response.status !== 200 || !isHtml(response.headers.get("content-type"))) return response;
  const html = await response.text();
  const output = session.prerender({ ...page, html });
  return withBody(output ?? html, response);
}

function isHtml(contentType: string | null): boolean {
  return contentType !== null && /^\s*text\/html\b/i.test(contentType);
}

/** The same status and headers with a new body (whose length the old header no longer tells). */
function withBody(body: string, response: Response): Response {
  let { headers } = response;
  if (headers.has("content-length")) {
    headers = new Headers(headers);
    headers.delete("content-length");
  }
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
