import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveRenderOptions } from "../../src/received/render-options.ts";

describe("resolveRenderOptions", () => {
  it("takes every markup option renderPingbacks knows", () => {
    const formatDate = (date: Date) => date.toISOString();
    const avatars = (url: string) => url;
    const options = {
      heading: "Responses",
      headingLevel: 3,
      emptyText: "None yet",
      maxTitleLength: 80,
      maxNameLength: 40,
      maxEntries: 10,
      lang: "de-CH",
      byText: "von",
      onText: "am",
      formatDate,
      groupHeadings: { replies: "Antworten", likes: "Likes" },
      repliedText: "antwortete",
      maxExcerptLength: 200,
      avatars,
    };
    assert.deepEqual(resolveRenderOptions(options, "pkg"), options);
    assert.deepEqual(resolveRenderOptions(undefined, "pkg"), {});
    assert.deepEqual(resolveRenderOptions({ avatars: false }, "pkg"), { avatars: false });
  });

  it("names the key that is wrong, under the adapter's option", () => {
    const cases: [unknown, RegExp][] = [
      [[], /option "render" must be an object/],
      [{ headingLevel: 1 }, /option "render\.headingLevel" must be 2 to 6/],
      [{ maxExcerptLength: 0 }, /option "render\.maxExcerptLength" must be a positive integer/],
      [{ repliedText: 3 }, /option "render\.repliedText" must be a string/],
      [{ lang: "en_GB!" }, /option "render\.lang" must be a language tag/],
      [{ formatDate: "long" }, /option "render\.formatDate" must be a function/],
      [{ avatars: "yes" }, /option "render\.avatars" must be true, false or a function/],
      [{ groupHeadings: "Replies" }, /option "render\.groupHeadings" must be an object/],
      [
        { groupHeadings: { replies: 1 } },
        /option "render\.groupHeadings\.replies" must be a string/,
      ],
      [
        { groupHeadings: { replis: "Replies" } },
        /option "render\.groupHeadings\.replis" is not a known option\. Did you mean "replies"\?/,
      ],
      [
        { headingLvl: 2 },
        /option "render\.headingLvl" is not a known option\. Did you mean "headingLevel"\?/,
      ],
    ];
    for (const [value, message] of cases) {
      assert.throws(() => resolveRenderOptions(value, "pkg"), message, JSON.stringify(value));
    }
    assert.throws(
      () => resolveRenderOptions({ headingLevel: 9 }, "pkg", "defaults"),
      /option "defaults\.headingLevel" must be 2 to 6/,
    );
  });
});
