import assert from "node:assert/strict";
import { access, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Manifest, Outbox } from "@static-pingback/core";
import { linkedPages } from "../../../test/support/manifest-pages.ts";
import staticPingback from "../src/index.ts";
import { FILES, LAYOUT, post } from "./fixture.ts";
import { build, buildInChild, captureLog, createProject, type Project } from "./helpers.ts";

const LINK = '<link rel="pingback" href="https://blog.example/xmlrpc">';

describe("Eleventy plugin: build", () => {
  let project: Project;
  let log: string[];
  before(async () => {
    project = await createProject(FILES);
    ({ lines: log } = await captureLog(() => build(project, {})));
  });
  after(() => project.remove());

  it("injects the link element, in the spec's exact form, once, in the head of every enabled page", async () => {
    for (const page of [
      "_site/index.html",
      "_site/posts/first/index.html",
      "_site/posts/second/index.html",
    ]) {
      const html = await project.read(page);
      assert.equal(html.split(LINK).length - 1, 1, page);
      const at = html.indexOf(LINK);
      assert.ok(
        at > html.indexOf("<head>") && at < html.indexOf("</head>"),
        `${page}: inside <head>`,
      );
      // Nothing else changed: removing the element gives the page as rendered.
      assert.doesNotMatch(html.replace(LINK, ""), /rel="pingback"/);
    }
  });

  it("leaves the 404 page, non-HTML outputs and permalink:false pages alone", async () => {
    assert.doesNotMatch(await project.read("_site/404.html"), /rel="pingback"/);
    assert.doesNotMatch(await project.read("_site/feed.xml"), /pingback/);
    await assert.rejects(access(join(project.root, "_site/draft/index.html")));
  });

  it("writes a manifest with post-body links only (no nav, footer or same-site links)", async () => {
    const manifest = await project.readJson<Manifest>(".pingback/manifest.json");
    assert.equal(manifest.site, "https://blog.example/");
    assert.equal(manifest.endpoint, "https://blog.example/xmlrpc");
    assert.deepEqual(linkedPages(manifest.pages), {
      "https://blog.example/": { pingback: true, links: [] },
      "https://blog.example/404.html": { pingback: false, links: [] },
      "https://blog.example/posts/first/": {
        pingback: true,
        links: ["https://alice.example/a", "https://bob.example/b?x=1&y=2"],
      },
      "https://blog.example/posts/second/": { pingback: true, links: ["http://carol.example/c/"] },
    });
  });

  it("publishes the same manifest in the output and writes a first outbox", async () => {
    assert.equal(
      await project.read("_site/pingback-manifest.json"),
      await project.read(".pingback/manifest.json"),
    );
    const outbox = await project.readJson<Outbox>(".pingback/outbox.json");
    assert.equal(outbox.previousGeneratedAt, null);
    assert.deepEqual(outbox.added, [], "a first build is the baseline: no pair listed");
  });

  it("logs one summary line", () => {
    const summary = log.filter((line) => /outbound links/.test(line));
    assert.equal(summary.length, 1, log.join("\n"));
    assert.match(
      summary[0] as string,
      /4 pages \(3 taking part\), 3 outbound links, a first build: they are the baseline, not news/,
    );
  });

  it("after editing one post, the next build's outbox holds exactly the change", async () => {
    await project.write({
      "posts/second.md": post(
        "Second",
        "About [Carol](http://carol.example/c/) and [Dave](https://dave.example/).",
      ),
      "posts/first.md": post("First", "I read [Bob](https://bob.example/b?x=1&y=2)."),
    });
    await buildInChild(project, {});
    const outbox = await project.readJson<Outbox>(".pingback/outbox.json");
    assert.deepEqual(outbox.added, [
      { source: "https://blog.example/posts/second/", target: "https://dave.example/" },
    ]);
    assert.deepEqual(outbox.removed, [
      { source: "https://blog.example/posts/first/", target: "https://alice.example/a" },
    ]);
    assert.deepEqual([outbox.pagesAdded, outbox.pagesRemoved], [[], []]);
    assert.notEqual(outbox.previousGeneratedAt, null);
  });
});

describe("Eleventy plugin: pathPrefix, options, broken pages", () => {
  it("respects pathPrefix in page URLs and does not publish the manifest when told not to", async () => {
    const project = await createProject(FILES);
    try {
      await captureLog(() => build(project, { publishManifest: false }, { pathPrefix: "/blog/" }));
      const manifest = await project.readJson<Manifest>(".pingback/manifest.json");
      assert.equal(manifest.site, "https://blog.example/blog/");
      assert.ok("https://blog.example/blog/posts/first/" in manifest.pages);
      await assert.rejects(access(join(project.output, "pingback-manifest.json")));
    } finally {
      await project.remove();
    }
  });

  it("declares itself unique: a second addPlugin (say, from a theme) is skipped, the first wins", async () => {
    const project = await createProject(FILES);
    try {
      const { lines } = await captureLog(() =>
        build(
          project,
          {},
          {
            afterPlugin: (eleventyConfig) =>
              eleventyConfig.addPlugin(staticPingback, {
                site: "https://blog.example",
                endpoint: "https://other.example/xmlrpc",
                stateDir: join(project.root, ".other"),
              }),
          },
        ),
      );
      const html = await project.read("_site/posts/first/index.html");
      assert.equal(html.split('rel="pingback"').length - 1, 1);
      assert.ok(html.includes(LINK));
      await assert.rejects(access(join(project.root, ".other")));
      assert.equal(lines.filter((line) => /taking part/.test(line)).length, 1, lines.join("\n"));
    } finally {
      await project.remove();
    }
  });

  it("says how many pages outside an article or h-entry contributed links, and names the option", async () => {
    const plain = LAYOUT.replace(/<article[\s\S]*<\/article>/, "{{ content | safe }}");
    const project = await createProject({
      ...FILES,
      "_includes/plain.njk": plain,
      "about.md":
        "---\nlayout: plain.njk\ntitle: About\n---\nSee [my host](https://host.example/).\n",
    });
    const NOTE =
      /; 1 page outside an article or h-entry contributed links \(set the "include" option, e\.g\. "\/blog\/\*\*", to send from posts only\)$/;
    const summaryOf = (lines: string[]) => lines.find((line) => /outbound links/.test(line)) ?? "";
    try {
      for (const [options, note] of [
        [{ workerThread: false }, true],
        [{ workerThread: true }, true], // processed by the worker
        [{ workerThread: true }, true], // taken from the page cache
        [{ workerThread: true, include: "/posts/**" }, false],
      ] as const) {
        const { lines } = await captureLog(() => build(project, options));
        const summary = summaryOf(lines);
        if (note) assert.match(summary, NOTE, JSON.stringify(options));
        else assert.doesNotMatch(summary, /outside an article/, JSON.stringify(options));
      }
      const manifest = await project.readJson<Manifest>(".pingback/manifest.json");
      assert.deepEqual(manifest.pages["https://blog.example/about/"], {
        pingback: false,
        links: [],
      });
    } finally {
      await project.remove();
    }
  });

  it("rejects bad options at the door, naming the option and the package", async () => {
    const project = await createProject({ "index.md": "hi" });
    try {
      for (const [options, message] of [
        [{ site: undefined }, /\[@static-pingback\/eleventy\] option "site" is required/],
        [{ publishManifest: "yes" }, /option "publishManifest" must be true or false/],
        [{ pageCache: "on" }, /option "pageCache" must be true or false/],
        [{ received: 7 }, /option "received" must be/],
        [{ render: { headingLevel: 1 } }, /option "render\.headingLevel" must be 2 to 6/],
        [{ typo: true }, /option "typo" is not a known option/],
        [
          { recieved: "received.json" },
          /option "recieved" is not a known option\. Did you mean "received"\? Known options: site, receiver, endpoint, webmentionEndpoint, contentSelector, include, exclude, excludeLinks, includeSameSite, stateDir, previousManifest, publishManifest, workerThread, pageCache, received, render, writeOutboxWhenWatching$/m,
        ],
        [
          { render: { headingLvl: 3 } },
          /option "render\.headingLvl" is not a known option\. Did you mean "headingLevel"\? Known options of "render": heading, headingLevel,/,
        ],
      ] as const) {
        await assert.rejects(
          captureLog(() => build(project, options as object)),
          (error: Error & { originalError?: Error }) =>
            message.test(`${error.message} ${error.originalError?.message}`),
        );
      }
    } finally {
      await project.remove();
    }
  });

  it("accepts URL objects for site and endpoint, also with the worker thread", async () => {
    const project = await createProject(FILES);
    try {
      await captureLog(() =>
        build(project, {
          site: new URL("https://blog.example") as unknown as string,
          endpoint: new URL("https://blog.example/xmlrpc") as unknown as string,
          workerThread: true,
        }),
      );
      const html = await project.read("_site/posts/first/index.html");
      assert.match(html, /<link rel="pingback" href="https:\/\/blog\.example\/xmlrpc">/);
    } finally {
      await project.remove();
    }
  });

  it("logs webmention.io's default endpoints and why it may refuse, and advertises both", async () => {
    const project = await createProject({ "index.md": "hi" });
    try {
      const { lines } = await captureLog(() => build(project, { endpoint: undefined }));
      assert.match(
        lines.join("\n"),
        /webmention\.io's endpoints https:\/\/webmention\.io\/blog\.example\/webmention and https:\/\/webmention\.io\/blog\.example\/xmlrpc .*enabled in its settings/,
      );
      assert.match(
        await project.read("_site/index.html"),
        /<link rel="pingback" href="https:\/\/webmention\.io\/blog\.example\/xmlrpc"><link rel="webmention" href="https:\/\/webmention\.io\/blog\.example\/webmention">/,
      );
    } finally {
      await project.remove();
    }
  });

  it("reports a page that cannot be processed with its input path, skips it, and builds the rest", async () => {
    const project = await createProject(FILES);
    try {
      const { lines } = await captureLog(() =>
        build(project, {
          // A predicate that throws on one page stands in for any processing failure.
          exclude: (url: URL) => {
            if (url.pathname === "/posts/second/") throw new Error("boom");
            return false;
          },
        }),
      );
      assert.match(
        lines.join("\n"),
        /posts\/second\.md: could not process https:\/\/blog\.example\/posts\/second\/, skipped \(boom\)/,
      );
      const manifest = await project.readJson<Manifest>(".pingback/manifest.json");
      assert.ok(!("https://blog.example/posts/second/" in manifest.pages));
      assert.ok("https://blog.example/posts/first/" in manifest.pages);
      await writeFile(join(project.root, "ok"), "");
    } finally {
      await project.remove();
    }
  });
});

describe("Eleventy plugin: previousManifest", () => {
  it("diffs against the deployed copy fetched from a URL, as CI without a kept state directory does", async () => {
    const deployed = await createProject(FILES);
    const ci = await createProject({
      ...FILES,
      "posts/second.md": post(
        "Second",
        "About [Carol](http://carol.example/c/) and [Erin](https://erin.example/).",
      ),
    });
    const published = async () => deployed.read("_site/pingback-manifest.json");
    const server = createServer(async (req, res) => {
      if (req.url === "/pingback-manifest.json") {
        res.writeHead(200, { "content-type": "application/json" }).end(await published());
      } else res.writeHead(404).end();
    });
    try {
      await captureLog(() => build(deployed, {}));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      await captureLog(() =>
        build(ci, { previousManifest: `http://127.0.0.1:${port}/pingback-manifest.json` }),
      );
      const outbox = await ci.readJson<Outbox>(".pingback/outbox.json");
      assert.deepEqual(outbox.added, [
        { source: "https://blog.example/posts/second/", target: "https://erin.example/" },
      ]);
      assert.deepEqual(outbox.removed, []);
    } finally {
      server.close();
      await deployed.remove();
      await ci.remove();
    }
  });
});

describe("Eleventy plugin: Pingback and Webmention endpoints", () => {
  const OWN_WEBMENTION = LAYOUT.replace(
    "<title>",
    '<link rel="webmention" href="https://own.example/webmention"><title>',
  );

  it("advertises a receiver's two endpoints on every enabled page, through the page worker too", async () => {
    const project = await createProject({
      ...FILES,
      "_includes/own.njk": OWN_WEBMENTION,
      "posts/own.md": `---\nlayout: own.njk\ntitle: Own\n---\nSee [Dave](https://dave.example/).\n`,
    });
    try {
      const { lines } = await captureLog(() =>
        build(project, {
          endpoint: undefined,
          receiver: "https://mentions.blog.example/",
          workerThread: true,
        }),
      );
      const both =
        '<link rel="pingback" href="https://mentions.blog.example/xmlrpc"><link rel="webmention" href="https://mentions.blog.example/webmention">';
      for (const page of ["_site/index.html", "_site/posts/first/index.html"]) {
        const html = await project.read(page);
        assert.equal(html.split(both).length - 1, 1, page);
        assert.ok(html.indexOf(both) < html.indexOf("</head>"), page);
      }
      // A page with its own webmention link keeps it and gets only the pingback element.
      const own = await project.read("_site/posts/own/index.html");
      assert.match(own, /<link rel="pingback" href="https:\/\/mentions\.blog\.example\/xmlrpc">/);
      assert.equal(own.split('rel="webmention"').length - 1, 1);
      assert.match(own, /href="https:\/\/own\.example\/webmention"/);
      assert.match(
        lines.join("\n"),
        /keeps its own webmention endpoint "https:\/\/own\.example\/webmention"/,
      );
      const manifest = await project.readJson<Manifest>(".pingback/manifest.json");
      assert.equal(manifest.endpoint, "https://mentions.blog.example/xmlrpc");
      assert.equal(manifest.webmentionEndpoint, "https://mentions.blog.example/webmention");
      assert.equal(manifest.pages["https://blog.example/posts/own/"]?.pingback, true);
    } finally {
      await project.remove();
    }
  });

  it("writes neither element when both are turned off, and still collects the links", async () => {
    const project = await createProject(FILES);
    try {
      await build(project, { endpoint: false, webmentionEndpoint: false });
      const html = await project.read("_site/posts/first/index.html");
      assert.doesNotMatch(html, /rel="(?:pingback|webmention)"/);
      const manifest = await project.readJson<Manifest>(".pingback/manifest.json");
      assert.equal(manifest.endpoint, null);
      assert.equal(manifest.webmentionEndpoint, null);
      assert.deepEqual(manifest.pages["https://blog.example/posts/first/"]?.links, [
        "https://alice.example/a",
        "https://bob.example/b?x=1&y=2",
      ]);
    } finally {
      await project.remove();
    }
  });
});

describe("Eleventy plugin: content fingerprints for Webmention updates", () => {
  it("records each post's fingerprint, kept across a layout change, new after an edit", async () => {
    const project = await createProject(FILES);
    try {
      const hashes = async () => {
        const manifest = await project.readJson<Manifest>(".pingback/manifest.json");
        return Object.fromEntries(
          Object.entries(manifest.pages).map(([url, page]) => [url, page.contentHash]),
        );
      };
      // Through the page worker and its page cache, as a real build runs; in a child
      // process each time, as Eleventy caches its input files in-process.
      await buildInChild(project, { workerThread: true });
      const first = await hashes();
      assert.match(first["https://blog.example/posts/first/"] ?? "", /^[A-Za-z0-9+/]{27}=$/);
      assert.equal(first["https://blog.example/404.html"], undefined, "not taking part");

      await project.write({
        "_includes/layout.njk": LAYOUT.replace("Built with", "Made with"),
      });
      await buildInChild(project, { workerThread: true });
      assert.deepEqual(await hashes(), first, "the layout around the post is not the post");

      await project.write({
        "posts/second.md": post("Second", "About [Carol](http://carol.example/c/), edited."),
      });
      await buildInChild(project, { workerThread: true });
      const edited = await hashes();
      assert.notEqual(
        edited["https://blog.example/posts/second/"],
        first["https://blog.example/posts/second/"],
      );
      assert.equal(
        edited["https://blog.example/posts/first/"],
        first["https://blog.example/posts/first/"],
      );
    } finally {
      await project.remove();
    }
  });
});
