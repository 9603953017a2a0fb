import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import type { Ajv2020 as Ajv2020Type } from "ajv/dist/2020.js";
import { loadSchema, type SchemaName } from "../src/files/schema-validator.ts";

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
