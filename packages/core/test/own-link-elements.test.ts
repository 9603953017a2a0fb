import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { blogCorpus } from "../../../test/support/blog-corpus.ts";
import {
  fastPathDeclineReason,
  headLinkElements,
  predictInsertion,
  processPage,
  type ResolvedOptions,
  resolveOptions,
} from "../src/index.ts";
import { processPageReference } from "../src/page/reference/process-page-reference.ts";
import { startedSession } from "./support/started-session.ts";
import { tagSoupDocument } from "./support/tag-soup.ts";

/**
 * A layout may write the build's link elements into its head itself (Eleventy's
 * `pingbackLinks` shortcode): such a page keeps them, gets nothing inserted, and still
 * takes the fast path, so the build neither copies it nor parses it in full.
 */

const SITE = "https://blog.example";
const variants: ResolvedOptions[] = [
  resolveOptions({ site: SITE, endpoint: "https://blog.example/xmlrpc?a=1&b=2" }, "t"),
  resolveOptions({ site: SITE, receiver: "https://m.example/in?a=1&b=2" }, "t"),
  resolveOptions({ site: SITE, endpoint: false, webmentionEndpoint: "https://m.example/wm" }, "t"),
];

const texts = (options: ResolvedOptions) => headLinkElements(options).map(({ text }) => text);
const withHead = (html: string, at: "start" | "end", inserted: string) =>
  at === "start"
    ? html.replace(/<head>/i, (head) => `${head}\n${inserted}`)
    : html.replace("</head>", `${inserted}\n</head>`);

/** The page with every element in its head: one after the other, or apart and reversed. */
function pagesWithAll(html: string, own: string[]): string[] {
  return [
    withHead(html, "start", own.join("")),
    withHead(html, "end", own.toReversed().join("\n")),
  ];
}

describe("a head that holds the build's link elements", () => {
  it("keeps them, gets nothing inserted, and takes the fast path, as the reference says", () => {
    for (const options of variants) {
      const own = texts(options);
      for (const page of blogCorpus(40)) {
        const links = processPage(page.html, page.url, options).links;
        for (const html of pagesWithAll(page.html, own)) {
          assert.equal(fastPathDeclineReason(html, options), undefined, html.slice(0, 400));
          const result = processPage(html, page.url, options);
          assert.deepEqual(result, processPageReference(html, page.url, options));
          assert.equal(result.changed, false);
          assert.equal(result.html, html);
          assert.deepEqual(result.warnings, []);
          assert.deepEqual(result.links, links);
          assert.equal(predictInsertion(html, new URL(page.url), options), null);
        }
      }
    }
  });

  it("goes to the reference when the head has only some of them, one twice, or another", () => {
    const options = variants[1] as ResolvedOptions;
    const [pingback, webmention] = texts(options) as [string, string];
    const page = blogCorpus(1).next().value;
    assert.ok(page);
    const cases: [string, RegExp][] = [
      [withHead(page.html, "start", pingback), /some of the link elements/],
      [withHead(page.html, "start", pingback + webmention + webmention), /endpoint link/],
      [
        withHead(page.html, "start", pingback + webmention.replace("m.example", "n.example")),
        /endpoint link/,
      ],
      // The spec's pattern again, in a comment: the reference warns of it.
      [
        withHead(page.html, "start", `${pingback}${webmention}<!-- ${pingback} -->`),
        /pingback link/,
      ],
      [
        withHead(page.html, "start", pingback + webmention).replace(
          "</body>",
          '<link rel="webmention" href="https://else.example/">\n</body>',
        ),
        /endpoint link/,
      ],
    ];
    for (const [html, reason] of cases) {
      assert.match(fastPathDeclineReason(html, options) ?? "", reason);
      assert.deepEqual(
        processPage(html, page.url, options),
        processPageReference(html, page.url, options),
      );
    }
    // Elements of another build (here: its pingback endpoint alone) are the page's own.
    const other = variants[0] as ResolvedOptions;
    const html = withHead(page.html, "start", pingback + webmention);
    assert.match(fastPathDeclineReason(html, other) ?? "", /endpoint link/);
    assert.deepEqual(
      processPage(html, page.url, other),
      processPageReference(html, page.url, other),
    );
  });

  it("agrees with the reference on 1,000 tag-soup documents that carry them", () => {
    let fast = 0;
    for (const options of variants) {
      const own = texts(options);
      for (let seed = 7001; seed <= 7000 + Math.ceil(1000 / variants.length); seed++) {
        const html = tagSoupDocument(seed).replace("</head>", `${own.join("")}</head>`);
        const url = `${SITE}/posts/soup/`;
        if (fastPathDeclineReason(html, options) === undefined) fast++;
        const result = processPage(html, url, options);
        assert.deepEqual(
          result,
          processPageReference(html, url, options),
          `seed ${seed}:\n${html}`,
        );
        assert.equal(result.changed, false);
        const predicted = predictInsertion(html, new URL(url), options);
        assert.ok(predicted === null || predicted === undefined, `seed ${seed}`);
      }
    }
    assert.ok(fast > 100, `only ${fast} documents took the fast path`);
  });
});

describe("BuildSession with a layout that writes the link elements", () => {
  const dirs: string[] = [];
  after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it("hands each page back as it came, and the worker still reads its links", async () => {
    const work = await mkdtemp(join(tmpdir(), "sp-own-elements-"));
    dirs.push(work);
    const shared = { site: SITE, receiver: "https://m.example/in" };
    const options = { ...resolveOptions(shared, "@static-pingback/test"), stateDir: work };
    const warnings: string[] = [];
    const session = await startedSession(shared, work, {
      pageCache: true,
      log: { info: () => {}, warn: (line) => warnings.push(line) },
    });
    const pages = [...blogCorpus(30)].map((page, n) => {
      const url = new URL(page.url);
      return {
        url,
        html: withHead(page.html, "start", session.linkElementsFor(url)),
        file: join(work, "out", `p${n}.html`),
      };
    });
    const written = new Map<string, string>();
    const outputs = await Promise.all(
      pages.map((page) => Promise.resolve(session.transform(page))),
    );
    for (const [n, page] of pages.entries()) {
      assert.equal(outputs[n], page.html, page.url.href);
      written.set(page.file, outputs[n] as string);
    }
    const outcome = await session.finish({ written, outputDir: join(work, "out") });
    await session.close();
    assert.deepEqual(warnings, []);
    assert.equal(outcome?.inserted, 0, "no page was copied to insert the elements");
    // Only the worker writes the page cache: every page went to it, none was done here.
    const cache = JSON.parse(await readFile(join(work, "page-cache.json"), "utf8"));
    assert.equal(Object.keys(cache.pages).length, 30);
    const manifest = JSON.parse(await readFile(join(work, "manifest.json"), "utf8"));
    for (const page of pages) {
      const expected = processPage(page.html, page.url.href, options).links.toSorted();
      assert.ok(expected.length > 0);
      assert.deepEqual(manifest.pages[page.url.href].links, expected, page.url.href);
    }
    // A page that does not take part gets no elements from the layout either.
    assert.equal(session.linkElementsFor(new URL(`${SITE}/404.html`)), "");
    assert.equal(session.linkElementsFor(pages[0]?.url as URL), texts(options).join(""));
  });

  it("hands a prerendered page back as it came, and recognises its file (Astro's way in)", async () => {
    const work = await mkdtemp(join(tmpdir(), "sp-own-elements-prerender-"));
    dirs.push(work);
    const shared = { site: SITE, receiver: "https://m.example/in" };
    const session = await startedSession(shared, work, {
      prerenders: true,
      log: { info: () => {}, warn: (line) => assert.fail(line) },
    });
    const page = blogCorpus(1).next().value;
    assert.ok(page);
    const url = new URL(page.url);
    const html = withHead(page.html, "start", session.linkElementsFor(url));
    assert.equal(session.prerender({ url, html, key: "/p" }), html);
    const out = join(work, "dist");
    await mkdir(out, { recursive: true });
    await writeFile(join(out, "p.html"), html);
    const outcome = await session.finish({
      writtenFiles: { pages: [{ url, key: "/p", files: [join(out, "p.html")] }], concurrency: 1 },
      outputDir: out,
    });
    await session.close();
    assert.equal(outcome?.recognised, 1);
    assert.equal(outcome?.inserted, 0);
    assert.equal(await readFile(join(out, "p.html"), "utf8"), html);
    const manifest = JSON.parse(await readFile(join(work, "manifest.json"), "utf8"));
    assert.deepEqual(
      manifest.pages[url.href].links,
      processPage(html, url.href, resolveOptions(shared, "t")).links.toSorted(),
    );
  });
});
