// @ts-check
import mdx from "@astrojs/mdx";
import staticPingback from "@static-pingback/astro";
import { defineConfig } from "astro/config";

// The PINGBACK_* variables let `pnpm demo` and the end-to-end test build this blog for
// 127.0.0.1; a real site writes its values here directly.
const env = process.env;
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

export default defineConfig({
  site: env.PINGBACK_SITE ?? "https://blog.example.com",
  integrations: [
    mdx(),
    staticPingback({
      // Our own receiver (`static-pingback serve`): pages advertise its Webmention and
      // Pingback endpoints. Without it, webmention.io's for the site's domain.
      receiver: env.PINGBACK_RECEIVER,
      // Received pingbacks shown by <Pingbacks />: a JF2 file here; in production the
      // receiver's export ("https://pingback.example.com/pingbacks.jf2") or "webmention.io".
      received: env.PINGBACK_RECEIVED
        ? { url: env.PINGBACK_RECEIVED, duration: "0s" }
        : "data/pingbacks.json",
      stateDir: env.PINGBACK_STATE_DIR,
      // The demo keeps to this machine: only links to local sites are recorded.
      excludeLinks: env.PINGBACK_LOCAL_LINKS_ONLY
        ? (url) => !LOCAL_HOSTS.has(url.hostname)
        : undefined,
    }),
  ],
});
