import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cleanLine, cleanText, stripInvisible } from "../../src/index.ts";
import { stripInvisible as fromReceived } from "../../src/received/index.ts";

const ESC = "\u001b";
const BEL = "\u0007";

describe("stripInvisible", () => {
  it("removes whole terminal escape sequences, not just the ESC", () => {
    assert.equal(stripInvisible(`a${ESC}]0;pwned${BEL}b${ESC}[2Jc`), "abc");
    assert.equal(
      stripInvisible(`${ESC}]8;;http://x.example/${ESC}\\link${ESC}]8;;${ESC}\\`),
      "link",
    );
    assert.equal(stripInvisible(`red ${ESC}[1;31mtext${ESC}[0m`), "red text");
    assert.equal(stripInvisible(`${ESC}(Bx${ESC}cy${ESC}Pq#0${ESC}\\z`), "xyz");
    // Unterminated: up to the next ESC (or the end), never leaving "]0;" behind.
    assert.equal(stripInvisible(`t${ESC}]0;title`), "t");
    assert.equal(stripInvisible(`${ESC}`), "");
  });

  it("removes 8-bit sequences too: C1 CSI and OSC, as a Latin-1 header decodes them", () => {
    assert.equal(stripInvisible("a\u009b2Jb\u009b1;31mc"), "abc");
    assert.equal(stripInvisible("a\u009d0;pwned\u0007b\u0090q\u009cc"), "abc");
  });

  it("removes C0 and C1 controls and DEL, keeping tab, newline and CR for the caller", () => {
    assert.equal(stripInvisible("a\u0000b\u0008c\u007fd\u0085e\u009cf"), "abcdef");
    assert.equal(stripInvisible("a\tb\nc\rd"), "a\tb\nc\rd");
  });

  it("removes bidi controls and direction marks", () => {
    assert.equal(stripInvisible("invoice\u202Efdp.exe"), "invoicefdp.exe");
    assert.equal(stripInvisible("\u2066a\u2067b\u2068c\u2069\u202Ad\u202B\u202C\u202D"), "abcd");
    assert.equal(stripInvisible("a\u200Eb\u200Fc\u061Cd"), "abcd");
  });

  it("removes zero-width spaces, word joiners, invisible operators and the BOM", () => {
    assert.equal(stripInvisible("\uFEFFpay\u200Bpal\u2060.com\u2062"), "paypal.com");
  });

  it("keeps joiners that join: emoji sequences, Persian and Indic words", () => {
    for (const text of ["👩‍💻 and 👨‍👩‍👧", "می‌خواهم", "क्‍ष", "🏳️‍🌈"]) {
      assert.equal(stripInvisible(text), text);
    }
    assert.equal(stripInvisible("\u200Dabc \u200Cdef\u200D"), "abc def");
    assert.equal(stripInvisible("a\u200D\u200D\u200Cb"), "a\u200Db");
  });

  it("removes tag characters but keeps a subdivision flag", () => {
    const scotland = "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}";
    assert.equal(stripInvisible(`hi\u{E0069}\u{E0067}\u{E006E}`), "hi");
    assert.equal(stripInvisible(`go ${scotland}!`), `go ${scotland}!`);
  });

  it("is the function @static-pingback/core/received exports", () => {
    assert.equal(fromReceived, stripInvisible);
  });

  it("stays linear on hostile input", () => {
    const text = `${ESC}]`.repeat(50_000) + `${ESC}[`.repeat(50_000) + "\u200D ".repeat(50_000);
    assert.equal(stripInvisible(text).trim(), "");
  });
});

describe("cleanLine and cleanText", () => {
  it("fold whitespace after stripping, so nothing leaves a double space", () => {
    assert.equal(cleanLine(`  a \u200B ${ESC}[2J\n\tb  `), "a b");
    assert.equal(
      cleanLine("line 1\r\nendpoint  http://evil.example/"),
      "line 1 endpoint http://evil.example/",
    );
  });

  it("cap the length in code points", () => {
    assert.equal(cleanLine("x".repeat(5_000), 10), `${"x".repeat(10)}…`);
    assert.equal(cleanLine("😀".repeat(3), 2), "😀😀…");
  });

  it("cleanText: only strings, null when nothing is left", () => {
    assert.equal(cleanText(42, 10), null);
    assert.equal(cleanText(`${ESC}[0m\u200B`, 10), null);
    assert.equal(cleanText(" Title\u202E ", 10), "Title");
  });
});
