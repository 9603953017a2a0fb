// @ts-check
import mdx from "@astrojs/mdx";
import staticPingback from "@static-pingback/astro";
import { defineConfig } from "astro/config";

export default defineConfig({
  site: "https://blog.example.com",
  integrations: [
    mdx(),
    staticPingback({
      // Received pingbacks shown by <Pingbacks />: a JF2 file here; in production the
      // receiver's export ("https://pingback.example.com/pingbacks.json") or "webmention.io".
      received: "data/pingbacks.json",
    }),
  ],
});
