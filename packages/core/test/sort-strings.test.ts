import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { seededRandom } from "../../../test/support/random.ts";
import { sortByCodeUnits } from "../src/manifest/sort-strings.ts";

/** Random lists of strings that share prefixes, repeat, end early and hold high code units. */
function randomList(next: () => number): string[] {
  const units = [
    "a",
    "b",
    "z",
    "A",
    "0",
    "/",
    ".",
    "~",
    "}",
    "\u007f",
    "é",
    "\u0100",
    "\uffff",
    "\ud83d",
    "\0",
  ];
  const prefixes = [
    "",
    "https://",
    "https://s1",
    "https://example.com/",
    "https://example.com/posts/",
  ];
  const shared = prefixes[Math.floor(next() * prefixes.length)] as string;
  const length = Math.floor(next() * 400);
  return Array.from({ length }, () => {
    let text = next() < 0.9 ? shared : "";
    const tail = Math.floor(next() * 8);
    for (let k = 0; k < tail; k++) text += units[Math.floor(next() * units.length)];
    return text;
  });
}

describe("sortByCodeUnits", () => {
  it("gives exactly what Array#sort gives, on 3,000 random lists", () => {
    const next = seededRandom(3);
    for (let k = 0; k < 3_000; k++) {
      const list = randomList(next);
      assert.deepEqual(sortByCodeUnits(list), [...list].sort());
    }
  });

  it("orders URLs of one site, long equal runs included, and leaves the input alone", () => {
    const urls = Array.from(
      { length: 500 },
      (_, k) => `https://github.com/u${k % 7}/r${(k * 37) % 101}`,
    );
    const copy = [...urls];
    assert.deepEqual(sortByCodeUnits(urls), [...urls].sort());
    assert.deepEqual(urls, copy);
  });
});
