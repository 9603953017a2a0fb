import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Ajv2020 as Ajv2020Type, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import type addFormatsType from "ajv-formats";
import { PingbackFileError } from "./file-error.ts";

/** Names of the JSON Schemas shipped in `packages/core/schemas/`. */
export type SchemaName = "manifest" | "outbox" | "state" | "jf2" | "build-record";

const require = createRequire(import.meta.url);
let ajv: Ajv2020Type | undefined;

/** Every shipped schema: what the build compiles ahead of time. */
export const SCHEMA_NAMES: readonly SchemaName[] = [
  "manifest",
  "outbox",
  "state",
  "jf2",
  "build-record",
];

/**
 * The validator engine, configured once for both uses: compiling at run time, and
 * writing the validators' code at build time (`scripts/compile-schemas.ts`).
 */
export function createValidatorEngine(options: { source?: boolean } = {}): Ajv2020Type {
  const { Ajv2020 } = require("ajv/dist/2020.js") as { Ajv2020: typeof Ajv2020Type };
  const addFormats = require("ajv-formats") as typeof addFormatsType;
  // The shipped schemas are checked against JSON Schema's meta-schema by a test, not
  // on every run: compiling the meta-schema was two thirds of the first validation.
  const engine = new Ajv2020({
    allErrors: false,
    strict: true,
    validateSchema: false,
    ...(options.source ? { code: { source: true } } : {}),
  });
  addFormats.default(engine, ["date-time", "uri"]);
  return engine;
}

// ajv is loaded (and schemas compiled) on first use: a build that reads no state file
// does not pay for it. It is CommonJS, so a plain require.
function validatorEngine(): Ajv2020Type {
  ajv ??= createValidatorEngine();
  return ajv;
}
const compiled = new Map<SchemaName, ValidateFunction>();

/** The schema document itself, e.g. to publish beside the files it describes. */
export function loadSchema(name: SchemaName): Record<string, unknown> {
  return JSON.parse(schemaText(name)) as Record<string, unknown>;
}

function schemaText(name: SchemaName): string {
  // Same relative path from src/files and dist/files.
  return readFileSync(new URL(`../../schemas/${name}.schema.json`, import.meta.url), "utf8");
}

/** What ties compiled validators to the schema text they were compiled from. */
export function schemaDigest(name: SchemaName): string {
  return createHash("sha256").update(schemaText(name)).digest("hex");
}

/** The module the build writes beside this one (dist only): validators as code. */
export const PRECOMPILED_FILE = "compiled-schemas.cjs";

interface Precompiled {
  digests: Record<string, string>;
  validators: Record<string, ValidateFunction>;
}

let precompiled: Precompiled | null | undefined;

/**
 * The build's precompiled validator for `name`, when there is one and its schema has
 * not changed since: compiling with ajv took 100-150 ms, in each process that reads a
 * state file (the page worker, every CLI command).
 */
function precompiledFor(name: SchemaName): ValidateFunction | undefined {
  if (precompiled === undefined) {
    try {
      precompiled = require(`./${PRECOMPILED_FILE}`) as Precompiled;
    } catch {
      precompiled = null; // src/, or a build without it: compile at run time
    }
  }
  const validate = precompiled?.validators[name];
  return validate && precompiled?.digests[name] === schemaDigest(name) ? validate : undefined;
}

function validatorFor(name: SchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    validate = precompiledFor(name) ?? validatorEngine().compile(loadSchema(name));
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
