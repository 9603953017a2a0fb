import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { FILES, LAYOUT } from "./fixture.ts";
import { build, captureLog, createProject, type Project } from "./helpers.ts";

const RECEIVED = {
  type: "feed",
  name: "Webmentions",
  children: [
    {
      "wm-source": "https://alice.example/2024/reply",
      "wm-target": "https://blog.example/posts/first", // no trailing slash: still matches
      "wm-protocol": "pingback",
      "wm-property": "mention-of",
      "wm-received": "2024-05-02T10:00:00Z",
      published: "2024-05-01T09:00:00Z",
      name: "Alice on the first post",
      author: { type: "card", name: "Alice", url: "https://alice.example/" },
      lang: "en",
    },
    {
      "wm-source": "https://evil.example/x",
      "wm-target": "https://blog.example/posts/first/",
      name: `<script>alert(1)</script>${"T".repeat(1024 * 1024)}`,
      author: { name: "<img src=x onerror=alert(2)>", url: "javascript:alert(3)" },
    },
    { "wm-source": "javascript:alert(4)", "wm-target": "https://blog.example/posts/first/" },
  ],
};

describe("Eleventy plugin: received pingbacks", () => {
  let project: Project;
  let log: string[];
  before(async () => {
    project = await createProject({
      ...FILES,
      "../received.json": JSON.stringify(RECEIVED),
      "liquid.liquid": `---\npermalink: /liquid/\n---\n<main>{% pingbacks "/posts/first/" %}</main>\n`,
      "js.11ty.js": `export default class {
  data() { return { permalink: "/js/" }; }
  render(data) { return "<main>" + this.pingbacks("/posts/first/") + "</main>"; }
}\n`,
      "override.njk": `---\npermalink: /override/\n---\n{% pingbacks "/posts/first", { heading: "Elsewhere too", headingLevel: 3 } %}{% pingbacks "/nothing/", { emptyText: "None yet." } %}\n`,
      "custom.njk": `---\npermalink: /custom/\n---\n<ul>{% for p in "/posts/first/" | pingbacksFor %}<li>{{ p.title }}|{{ p.author.name }}</li>{% endfor %}</ul><p>all: {{ pingbacks.length }}</p>\n`,
    });
    ({ lines: log } = await captureLog(() =>
      build(project, {
        received: `${project.root}/received.json`,
        render: { heading: "Elsewhere", emptyText: "" },
      }),
    ));
  });
  after(() => project.remove());

  it("renders the h-cite list with the Nunjucks shortcode, matching with and without a trailing slash", async () => {
    const html = await project.read("_site/posts/first/index.html");
    assert.match(
      html,
      /<section class="pingbacks" data-no-pingback><h2 class="pingbacks__heading">Elsewhere<\/h2><ol class="pingbacks__list">/,
    );
    assert.match(
      html,
      /<li class="pingbacks__item h-cite"><a class="pingbacks__title u-url p-name" href="https:\/\/alice\.example\/2024\/reply" hreflang="en" lang="en">Alice on the first post<\/a><span class="pingbacks__meta">, by <a class="pingbacks__author p-author h-card" href="https:\/\/alice\.example\/">Alice<\/a> on <time class="pingbacks__date dt-published" datetime="2024-05-01T09:00:00.000Z">May 1, 2024<\/time><\/span><\/li>/,
    );
    assert.equal(html.match(/<li class="pingbacks__item/g)?.length, 2);
  });

  it("escapes and caps hostile data (script tags, javascript: URLs, a 1 MB title)", async () => {
    const html = await project.read("_site/posts/first/index.html");
    const section = html.slice(
      html.indexOf('<section class="pingbacks"'),
      html.indexOf("</section>") + 10,
    );
    assert.ok(section.length < 2000, `section is capped (${section.length} chars)`);
    assert.doesNotMatch(section, /<script|<img|javascript:/i);
    assert.match(section, /&lt;script&gt;alert\(1\)&lt;\/script&gt;T+…/);
    assert.match(section, /&lt;img src=x onerror=alert\(2\)&gt;/);
  });

  it("renders nothing on a page without pingbacks", async () => {
    assert.doesNotMatch(await project.read("_site/posts/second/index.html"), /class="pingbacks/);
  });

  it("works as a Liquid shortcode and a JavaScript template function", async () => {
    for (const page of ["_site/liquid/index.html", "_site/js/index.html"]) {
      const html = await project.read(page);
      assert.match(html, /Alice on the first post/, page);
      assert.equal(html.match(/<li class="pingbacks__item/g)?.length, 2, page);
    }
  });

  it("takes render options as a second shortcode argument in Nunjucks", async () => {
    const html = await project.read("_site/override/index.html");
    assert.match(
      html,
      /<\/head><section class="pingbacks" data-no-pingback><h3 class="pingbacks__heading">Elsewhere too<\/h3>/,
    );
    assert.match(html, /<p class="pingbacks__empty">None yet\.<\/p><\/section>\n$/);
  });

  it("gives the entries to the pingbacksFor filter and the pingbacks global data", async () => {
    const html = await project.read("_site/custom/index.html");
    assert.match(html, /<li>Alice on the first post\|Alice<\/li>/);
    assert.match(html, /<p>all: 2<\/p>/);
  });

  it("says how many unusable entries were ignored, and nothing else about received data", () => {
    const lines = log.filter((line) => /received|could not/i.test(line));
    assert.equal(lines.length, 1, lines.join("\n"));
    assert.match(
      lines[0] as string,
      /received\.json: 1 entry without an http\(s\) source and target \(or duplicated\) ignored/,
    );
  });
});

describe("Eleventy plugin: received dates in the page's language", () => {
  it("follows render.lang, then Eleventy's page.lang (i18n plugin), then the shortcode's own lang", async () => {
    const target = (path: string) => ({
      ...RECEIVED.children[0],
      "wm-target": `https://blog.example${path}`,
    });
    const received = {
      type: "feed",
      children: ["/a/", "/de/c/", "/de/d/"].map(target),
    };
    const page = (permalink: string, shortcode: string) =>
      `---\npermalink: ${permalink}\n---\n<main>${shortcode}</main>\n`;
    const project = await createProject({
      "../received.json": JSON.stringify(received),
      "a.njk": page("/a/", "{% pingbacks page.url %}"),
      "de/c.njk": page("/de/c/", '{% pingbacks page.url, { byText: "von", onText: "am" } %}'),
      "de/d.njk": page("/de/d/", '{% pingbacks page.url, { lang: "fr" } %}'),
    });
    try {
      const text = async (file: string) =>
        (await project.read(`_site/${file}/index.html`)).replace(/<[^>]+>/g, "").trim();
      const options = { received: `${project.root}/received.json`, render: { lang: "en-GB" } };
      await build(project, options);
      assert.match(await text("a"), /Alice on the first post, by Alice on 1 May 2024$/);
      // With Eleventy's i18n plugin, each page's own language (en by default, de in de/).
      const { I18nPlugin } = await import("@11ty/eleventy");
      await build(project, options, {
        configure: (config) =>
          config.addPlugin(I18nPlugin, { defaultLanguage: "en", errorMode: "never" }),
      });
      assert.match(await text("a"), /Alice on the first post, by Alice on May 1, 2024$/);
      assert.match(await text("de/c"), /Alice on the first post, von Alice am 1\. Mai 2024$/);
      assert.match(await text("de/d"), /Alice on the first post, by Alice on 1 mai 2024$/);
    } finally {
      await project.remove();
    }
  });
});

describe("Eleventy plugin: received data unavailable", () => {
  it("an unreachable received URL gives a warning and a successful build", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const project = await createProject(FILES);
    try {
      const { lines } = await captureLog(() =>
        build(project, {
          received: {
            url: `http://127.0.0.1:${port}/pingbacks.json`,
            cacheDir: `${project.root}/.cache`,
          },
          render: { emptyText: "No posts link here yet." },
        }),
      );
      assert.match(
        lines.join("\n"),
        /could not load received pingbacks from http:\/\/127\.0\.0\.1:\d+\/pingbacks\.json: .*ECONNREFUSED/,
      );
      assert.match(lines.join("\n"), /building without received pingbacks/);
      const html = await project.read("_site/posts/first/index.html");
      assert.match(
        html,
        /<section class="pingbacks pingbacks--empty" data-no-pingback><h2 class="pingbacks__heading">Posts linking here<\/h2><p class="pingbacks__empty">No posts link here yet\.<\/p><\/section>/,
      );
    } finally {
      await project.remove();
    }
  });

  it("a loopback receiver's export is fetched once per build and rendered; garbage falls back to the cache", async () => {
    let answer = JSON.stringify(RECEIVED);
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { "content-type": "application/json" }).end(answer);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pingbacks.json`;
    const project = await createProject({ ...FILES, "_includes/layout.njk": LAYOUT });
    try {
      const received = { url, cacheDir: `${project.root}/.cache`, duration: "0s" };
      await captureLog(() => build(project, { received }));
      assert.equal(requests, 1, "one request for the whole build");
      assert.match(await project.read("_site/posts/first/index.html"), /Alice on the first post/);

      answer = "<html>oops</html>";
      const { lines } = await captureLog(() => build(project, { received }));
      assert.equal(requests, 2);
      assert.match(lines.join("\n"), /response is not valid JSON/);
      assert.match(lines.join("\n"), /using the copy of .* cached at/);
      assert.match(await project.read("_site/posts/first/index.html"), /Alice on the first post/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await project.remove();
    }
  });
});

describe("Eleventy plugin: authors' photos saved at build time", () => {
  it("puts each photo into the output under the site's base path, and the markup points there", async () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(64, 1),
    ]);
    const photos = createServer((_request, response) =>
      response.writeHead(200, { "content-type": "image/png" }).end(png),
    );
    await new Promise<void>((resolve) => photos.listen(0, "127.0.0.1", resolve));
    const photo = `http://127.0.0.1:${(photos.address() as AddressInfo).port}/ann.png`;
    const feed = {
      type: "feed",
      children: ["1", "2"].map((n) => ({
        "wm-source": `https://ann${n}.example/likes/${n}`,
        "wm-target": "https://blog.example/blog/posts/first/",
        "wm-property": "like-of",
        "wm-protocol": "webmention",
        "wm-received": "2026-11-27T10:00:00Z",
        author: { type: "card", name: `Ann ${n}`, photo },
      })),
    };
    const project = await createProject({ ...FILES, "../received.json": JSON.stringify(feed) });
    try {
      await build(
        project,
        {
          site: "https://blog.example/blog/",
          received: {
            file: `${project.root}/received.json`,
            cacheDir: `${project.root}/.cache`,
            avatars: { allowPrivateNetworks: true },
          },
        },
        { pathPrefix: "/blog/" },
      );
      const html = await project.read("_site/posts/first/index.html");
      const srcs = [...html.matchAll(/<img class="pingbacks__avatar u-photo" src="([^"]+)"/g)].map(
        (match) => match[1] as string,
      );
      assert.equal(srcs.length, 2);
      assert.match(srcs[0] as string, /^\/blog\/_pingback-avatars\/[0-9a-f]{40}\.png$/);
      assert.doesNotMatch(html, /127\.0\.0\.1/, "readers never ask the photo's own host");
      const saved = await project.read(`_site/${(srcs[0] as string).slice("/blog/".length)}`);
      assert.equal(Buffer.from(saved, "latin1").length > 0, true);
    } finally {
      await project.remove();
      await new Promise<void>((resolve) => photos.close(() => resolve()));
    }
  });
});
