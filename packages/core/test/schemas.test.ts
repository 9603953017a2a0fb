import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Ajv2020 as Ajv2020Type, ValidateFunction } from "ajv/dist/2020.js";
import {
  createValidatorEngine,
  loadSchema,
  PRECOMPILED_FILE,
  SCHEMA_NAMES,
  type SchemaName,
  schemaDigest,
} from "../src/files/schema-validator.ts";

const require = createRequire(import.meta.url);
const { Ajv2020 } = require("ajv/dist/2020.js") as { Ajv2020: typeof Ajv2020Type };
const addFormats = require("ajv-formats") as typeof import("ajv-formats");

// Every schema in packages/core/schemas, so a new one is checked too.
const SHIPPED = readdirSync(new URL("../schemas/", import.meta.url))
  .filter((file) => file.endsWith(".schema.json"))
  .map((file) => file.replace(/\.schema\.json$/, "") as SchemaName);

// The validator at run time skips this check (validateSchema: false), to start quicker.
describe("the shipped JSON Schemas", () => {
  it("are all found", () => assert.equal(SHIPPED.length, 5));
  for (const name of SHIPPED) {
    it(`${name}.schema.json is a valid draft 2020-12 schema and compiles in strict mode`, () => {
      const ajv = new Ajv2020({ strict: true });
      addFormats.default(ajv, ["date-time", "uri"]);
      const schema = loadSchema(name);
      assert.equal(ajv.validateSchema(schema), true, ajv.errorsText(ajv.errors));
      assert.equal(typeof ajv.compile(schema), "function");
    });
  }
});

// The build writes every validator as code (scripts/compile-schemas.ts); the built
// package uses it while its digests match the schemas, so it must judge as ajv does.
describe("the precompiled validators in dist/", () => {
  const file = new URL(`../dist/files/${PRECOMPILED_FILE}`, import.meta.url);
  const built = require(fileURLToPath(file)) as {
    digests: Record<string, string>;
    validators: Record<string, ValidateFunction>;
  };
  const runtime = createValidatorEngine();

  it("cover every shipped schema, compiled from its current text", () => {
    assert.deepEqual(Object.keys(built.validators).sort(), [...SCHEMA_NAMES].sort());
    assert.deepEqual([...SCHEMA_NAMES].sort(), [...SHIPPED].sort());
    for (const name of SCHEMA_NAMES) assert.equal(built.digests[name], schemaDigest(name), name);
  });

  const at = "2026-12-04T06:00:00.000Z";
  const manifest = {
    version: 1,
    site: "https://me.example/",
    endpoint: null,
    webmentionEndpoint: "https://me.example/webmention",
    generatedAt: at,
    pages: { "https://me.example/a/": { pingback: true, links: ["https://x.example/"] } },
  };
  const outbox = {
    version: 1,
    generatedAt: at,
    previousGeneratedAt: null,
    added: [],
    removed: [],
    pagesAdded: [],
    pagesRemoved: [],
  };
  const cases: [SchemaName, unknown][] = [
    ["manifest", manifest],
    ["manifest", { ...manifest, pages: { "https://me.example/a/": { pingback: true } } }],
    ["manifest", { ...manifest, pages: { a: { pingback: true, links: ["ftp://x.example/"] } } }],
    ["manifest", { ...manifest, generatedAt: "yesterday" }],
    ["manifest", { ...manifest, extra: 1 }],
    ["outbox", outbox],
    ["outbox", { ...outbox, added: [{ source: "https://me.example/a/" }] }],
    ["state", { version: 1, pairs: [] }],
    ["state", { version: 3 }],
    ["jf2", { type: "feed", children: [] }],
    ["jf2", { type: "feed", children: "none" }],
    ["build-record", { version: 1 }],
    ["build-record", []],
  ];
  for (const [name, value] of cases) {
    it(`${name}: ${JSON.stringify(value).slice(0, 70)}`, () => {
      const compiled =
        runtime.getSchema(String(loadSchema(name).$id)) ?? runtime.compile(loadSchema(name));
      const expected = compiled(value);
      const actual = (built.validators[name] as ValidateFunction)(value);
      assert.equal(actual, expected);
      const first = (errors: ValidateFunction["errors"]) =>
        errors?.[0] && {
          instancePath: errors[0].instancePath,
          schemaPath: errors[0].schemaPath,
          keyword: errors[0].keyword,
        };
      assert.deepEqual(first(built.validators[name]?.errors), first(compiled.errors));
    });
  }
});
