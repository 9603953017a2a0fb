import staticPingback from "@static-pingback/eleventy";

// The PINGBACK_* variables let `pnpm demo` and the end-to-end test build this blog for
// 127.0.0.1; a real site writes its values here directly.
const env = process.env;
const site = env.PINGBACK_SITE ?? "https://blog.example.org";
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

export default function (eleventyConfig) {
  eleventyConfig.addPlugin(staticPingback, {
    // The deployed site; page URLs in the manifest are built from it.
    site,
    // Our own receiver (`static-pingback serve`): every page advertises its Webmention and
    // Pingback endpoints. Leave it out to use webmention.io's.
    receiver: env.PINGBACK_RECEIVER ?? "https://pingback.example.org/",
    // The demo turns Webmention off for this blog only, so that the Astro blog reaches it
    // by Pingback while it reaches the Astro blog by Webmention: one of each protocol.
    ...(env.PINGBACK_NO_WEBMENTION ? { webmentionEndpoint: false } : {}),
    // Pingbacks received so far. In production: the receiver's export URL, e.g.
    // "https://pingback.example.org/pingbacks.jf2", or "webmention.io".
    received: env.PINGBACK_RECEIVED
      ? { url: env.PINGBACK_RECEIVED, duration: "0s" }
      : "received.json",
    stateDir: env.PINGBACK_STATE_DIR ?? ".pingback",
    // The demo keeps to this machine: only links to local sites are recorded.
    excludeLinks: env.PINGBACK_LOCAL_LINKS_ONLY ? (url) => !LOCAL_HOSTS.has(url.hostname) : [],
    render: { heading: "Posts linking here" },
  });

  eleventyConfig.addPassthroughCopy({ "src/css": "css" });
  eleventyConfig.addFilter("isoDate", (date) => new Date(date).toISOString());
  eleventyConfig.addFilter("absoluteUrl", (url) => new URL(url, site).href);
  eleventyConfig.addFilter("readableDate", (date) =>
    new Date(date).toLocaleDateString("en-GB", {
      year: "numeric",
      month: "long",
      day: "numeric",
      timeZone: "UTC",
    }),
  );

  return {
    dir: { input: "src", output: "_site" },
    markdownTemplateEngine: "njk",
  };
}
