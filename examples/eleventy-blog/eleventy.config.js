import staticPingback from "@static-pingback/eleventy";

export default function (eleventyConfig) {
  eleventyConfig.addPlugin(staticPingback, {
    // The deployed site; page URLs in the manifest are built from it.
    site: "https://blog.example.org",
    // Our own receiver (`static-pingback serve`); leave it out to use webmention.io's.
    endpoint: "https://pingback.example.org/xmlrpc",
    // Pingbacks received so far. In production: the receiver's export URL, e.g.
    // "https://pingback.example.org/pingbacks.json", or "webmention.io".
    received: "received.json",
    render: { heading: "Posts linking here" },
  });

  eleventyConfig.addPassthroughCopy({ "src/css": "css" });
  eleventyConfig.addFilter("isoDate", (date) => new Date(date).toISOString());
  eleventyConfig.addFilter("absoluteUrl", (url) => new URL(url, "https://blog.example.org/").href);
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
