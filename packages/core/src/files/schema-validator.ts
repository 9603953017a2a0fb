import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Ajv2020 as Ajv2020Type, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import type addFormatsType from "ajv-formats";
import { PingbackFileError } from "./file-error.ts";

/** Names of the JSON Schemas shipped in `packages/core/schemas/`. */
export type SchemaName = "manifest" | "outbox" | "state" | "jf2" | "build-record";

const require = createRequire(import.meta.url);
let ajv: Ajv2020Type | undefined;

// ajv is loaded (and schemas compiled) on first use: a build that reads no state file
// does not pay for it. It is CommonJS, so a plain require.
function validatorEngine(): Ajv2020Type {
  if (!ajv) {
    const { Ajv2020 } = require("ajv/dist/2020.js") as { Ajv2020: typeof Ajv2020Type };
    const addFormats = require("ajv-formats") as typeof addFormatsType;
    // The shipped schemas are checked against JSON Schema's meta-schema by a test, not
    // on every run: compiling the meta-schema was two thirds of the first validation.
    ajv = new Ajv2020({ allErrors: false, strict: true, validateSchema: false });
    addFormats.default(ajv, ["date-time", "uri"]);
  }
  return ajv;
}
const compiled = new Map<SchemaName, ValidateFunction>();

/** The schema document itself, e.g. to publish beside the files it describes. */
export function loadSchema(name: SchemaName): Record<string, unknown> {
  // Same relative path from src/files and dist/files.
  const url = new URL(`../../schemas/${name}.schema.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as Record<string, unknown>;
}

function validatorFor(name: SchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    validate = validatorEngine().compile(loadSchema(name));
    compiled.set(name, validate);
  }
  return validate;
}

function describe(error: ErrorObject): string {
  const { keyword, params, message } = error;
  if (keyword === "required")
    return `missing required property "${String(params.missingProperty)}"`;
  if (keyword === "additionalProperties") {
    return `unexpected property "${String(params.additionalProperty)}"`;
  }
  if (keyword === "enum") {
    const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ");
    return `expected one of ${allowed}`;
  }
  if (keyword === "const") return `expected ${JSON.stringify(params.allowedValue)}`;
  return `expected value that ${message ?? "matches the schema"}`;
}

/**
 * Checks `value` (parsed from `file`) against a shipped schema and returns it typed,
 * or throws a PingbackFileError naming the file, the JSON Pointer and the expectation.
 */
export function assertMatchesSchema<T>(name: SchemaName, value: unknown, file: string): T {
  const validate = validatorFor(name);
  if (validate(value)) return value as T;
  const first = validate.errors?.[0];
  if (!first) throw new PingbackFileError(file, "", `does not match the ${name} schema`);
  throw new PingbackFileError(
    file,
    first.instancePath,
    `${describe(first)} (${name} schema, ${first.schemaPath})`,
  );
}
