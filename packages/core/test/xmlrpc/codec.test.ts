import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  encodeFault,
  encodeMethodResponse,
  encodePingbackPing,
  parseMethodCall,
  parseMethodResponse,
  XmlRpcParseError,
} from "../../src/xmlrpc/index.ts";

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof XmlRpcParseError, `expected XmlRpcParseError, got ${String(error)}`);
    return error.reason;
  }
  assert.fail("expected a parse error");
}

const response = (inner: string) =>
  `<?xml version="1.0"?><methodResponse>${inner}</methodResponse>`;
const fault = (members: string) =>
  response(`<fault><value><struct>${members}</struct></value></fault>`);

describe("encode", () => {
  it("encodes pingback.ping with escaped URLs and round-trips through the parser", () => {
    const source = "https://a.example/post?x=1&y=<2>";
    const target = "https://b.example/é";
    const xml = encodePingbackPing(source, target);
    assert.match(xml, /x=1&amp;y=&lt;2&gt;/);
    assert.deepEqual(parseMethodCall(xml), {
      methodName: "pingback.ping",
      params: [source, target],
    });
  });

  it("encodes a fault and a response that parse back", () => {
    assert.deepEqual(parseMethodResponse(encodeFault(48, "already <registered>")), {
      kind: "fault",
      faultCode: 48,
      faultString: "already <registered>",
    });
    assert.deepEqual(parseMethodResponse(encodeMethodResponse("Thanks!")), {
      kind: "success",
      value: "Thanks!",
    });
  });

  it("replaces characters XML cannot carry", () => {
    const xml = encodePingbackPing("https://a.example/\u0001", "https://b.example/");
    assert.equal((parseMethodCall(xml).params[0] as string).at(-1), "\uFFFD");
  });
});

describe("parseMethodResponse", () => {
  it("reads <int>, <i4>, a value with no type, whitespace and CDATA", () => {
    assert.deepEqual(
      parseMethodResponse(
        fault(`
        <member> <name>faultCode</name> <value> <i4> 17 </i4> </value> </member>
        <member><name>faultString</name><value>no link</value></member>`),
      ),
      { kind: "fault", faultCode: 17, faultString: "no link" },
    );
    assert.deepEqual(
      parseMethodResponse(
        response("<params><param><value><![CDATA[ok & done]]></value></param></params>"),
      ),
      { kind: "success", value: "ok & done" },
    );
    assert.deepEqual(parseMethodResponse(response("<params><param><value/></param></params>")), {
      kind: "success",
      value: "",
    });
  });

  it("reads a fault code that is not a safe integer as 0, keeping what was sent", () => {
    const cases: [string, number, string | undefined][] = [
      ["<int>17</int>", 17, undefined],
      ["<string> 48 </string>", 48, undefined],
      ["<double>1.5</double>", 0, "<double>1.5"],
      ["<double>48</double>", 48, undefined],
      ["<double>1e300</double>", 0, "<double>1e+300"],
      ["<i8>99999999999999999999</i8>", 0, "<i8>99999999999999999999"],
      ["<i8>9007199254740993</i8>", 0, "<i8>9007199254740993"],
      ["<string>abc</string>", 0, "<string>abc"],
      ["12345678901234567890", 0, "12345678901234567890"],
      ["<boolean>1</boolean>", 0, "<boolean>1"],
      ["<struct></struct>", 0, "<struct>"],
    ];
    for (const [code, faultCode, faultCodeRaw] of cases) {
      const parsed = parseMethodResponse(
        fault(
          `<member><name>faultCode</name><value>${code}</value></member><member><name>faultString</name><value>why</value></member>`,
        ),
      );
      const expected = { kind: "fault", faultCode, faultString: "why" };
      assert.deepEqual(parsed, faultCodeRaw ? { ...expected, faultCodeRaw } : expected, code);
    }
  });

  it("reads a fault without faultString as an empty message", () => {
    assert.deepEqual(
      parseMethodResponse(
        fault("<member><name>faultCode</name><value><int>0</int></value></member>"),
      ),
      { kind: "fault", faultCode: 0, faultString: "" },
    );
  });

  it("reads structs, arrays, booleans, doubles, dates and base64", () => {
    const xml = response(`<params><param><value><struct>
      <member><name>a</name><value><array><data><value><boolean>1</boolean></value><value><double>1.5</double></value></data></array></value></member>
      <member><name>d</name><value><dateTime.iso8601>19980717T14:08:55</dateTime.iso8601></value></member>
      <member><name>b</name><value><base64>aGk=</base64></value></member>
    </struct></value></param></params>`);
    const result = parseMethodResponse(xml);
    assert.equal(result.kind, "success");
    const value = (result as { value: Record<string, unknown> }).value;
    assert.deepEqual(value.a, [true, 1.5]);
    assert.equal((value.d as Date).toISOString(), "1998-07-17T14:08:55.000Z");
    assert.deepEqual(value.b, new Uint8Array([104, 105]));
  });

  it("refuses a DOCTYPE, including the billion-laughs bomb", () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
      <methodResponse><params><param><value>&lol2;</value></param></params></methodResponse>`;
    assert.equal(
      reasonOf(() => parseMethodResponse(bomb)),
      "doctype",
    );
  });

  it("refuses unknown entities, external entities and two roots", () => {
    assert.equal(
      reasonOf(() =>
        parseMethodResponse(response("<params><param><value>&nbsp;</value></param></params>")),
      ),
      "not-well-formed",
    );
    assert.equal(
      reasonOf(() =>
        parseMethodResponse(
          `${response("<params><param><value>a</value></param></params>")}<methodResponse/>`,
        ),
      ),
      "not-well-formed",
    );
  });

  it("refuses an empty body, an HTML error page and a non-XML-RPC document", () => {
    assert.equal(
      reasonOf(() => parseMethodResponse("")),
      "empty",
    );
    assert.equal(
      reasonOf(() => parseMethodResponse("  \n")),
      "empty",
    );
    assert.equal(
      reasonOf(() =>
        parseMethodResponse("<!DOCTYPE html><html><body>502 Bad Gateway</body></html>"),
      ),
      "html",
    );
    assert.equal(
      reasonOf(() => parseMethodResponse("<html><body>Oops</body></html>")),
      "html",
    );
    assert.equal(
      reasonOf(() => parseMethodResponse("<rss/>")),
      "not-xml-rpc",
    );
    assert.equal(
      reasonOf(() => parseMethodResponse("not xml at all")),
      "not-well-formed",
    );
    assert.equal(
      reasonOf(() => parseMethodResponse(response("<params></params>"))),
      "not-xml-rpc",
    );
  });

  it("enforces byte, depth and element caps", () => {
    const huge = response(
      `<params><param><value>${"x".repeat(10 * 1024 * 1024)}</value></param></params>`,
    );
    assert.equal(
      reasonOf(() => parseMethodResponse(huge)),
      "too-large",
    );
    const deep = response(
      `<params><param>${"<value><array><data>".repeat(40)}${"</data></array></value>".repeat(40)}</param></params>`,
    );
    assert.equal(
      reasonOf(() => parseMethodResponse(deep)),
      "too-deep",
    );
    const many = response(
      `<params><param><value><array><data>${"<value>a</value>".repeat(200)}</data></array></value></param></params>`,
    );
    assert.equal(
      reasonOf(() => parseMethodResponse(many, { maxElements: 100 })),
      "too-many-elements",
    );
  });

  it("decodes ISO-8859-1 when the declaration says so", () => {
    const bytes = Buffer.concat([
      Buffer.from(
        '<?xml version="1.0" encoding="ISO-8859-1"?><methodResponse><params><param><value>caf',
      ),
      Buffer.from([0xe9]),
      Buffer.from("</value></param></params></methodResponse>"),
    ]);
    assert.deepEqual(parseMethodResponse(bytes), { kind: "success", value: "café" });
  });
});

describe("parseMethodCall", () => {
  it("parses what WordPress and remy/wm send", () => {
    const call = `<?xml version="1.0"?>
<methodCall>
  <methodName>pingback.ping</methodName>
  <params>
    <param><value><string>https://a.example/p</string></value></param>
    <param><value>https://b.example/q</value></param>
  </params>
</methodCall>`;
    assert.deepEqual(parseMethodCall(call), {
      methodName: "pingback.ping",
      params: ["https://a.example/p", "https://b.example/q"],
    });
  });

  it("refuses a methodResponse, a missing methodName and junk", () => {
    assert.equal(
      reasonOf(() => parseMethodCall(encodeFault(0, ""))),
      "not-xml-rpc",
    );
    assert.equal(
      reasonOf(() => parseMethodCall("<methodCall><params/></methodCall>")),
      "not-xml-rpc",
    );
    assert.equal(
      reasonOf(() => parseMethodCall("<methodCall><methodName>a</methodName><x/></methodCall>")),
      "not-xml-rpc",
    );
  });
});
