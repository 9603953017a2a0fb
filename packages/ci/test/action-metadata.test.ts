import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { validateAction } from "@action-validator/core";
import { load } from "js-yaml";

const ACTION = fileURLToPath(new URL("../../../action.yml", import.meta.url));
const source = readFileSync(ACTION, "utf8");

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface ActionMetadata {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}
const action = load(source) as ActionMetadata;

describe("action.yml", () => {
  it("validates against the published action-metadata schema (SchemaStore's, in @action-validator/core)", () => {
    assert.deepEqual(validateAction(source).errors, []);
    // The validator is live: the same file with a run step missing its shell fails.
    const broken = source.replace(/^ {6}shell: bash\n/m, "");
    assert.notEqual(broken, source);
    assert.ok(validateAction(broken).errors.length > 0);
  });

  it("passes every input but the cache key to the entry point, and exposes its outputs", () => {
    const send = action.runs.steps.find((step) => step.id === "send");
    assert.ok(send?.env);
    const passed = Object.fromEntries(
      Object.entries(send.env).map(([key, value]) => [key, value.replace(/\s/g, "")]),
    );
    const expected = Object.fromEntries(
      Object.keys(action.inputs)
        .filter((name) => name !== "cache-key")
        .map((name) => [`INPUT_${name.toUpperCase().replace(/-/g, "_")}`, `\${{inputs.${name}}}`]),
    );
    assert.deepEqual(passed, expected);
    for (const name of ["sent", "failed", "state-changed"]) {
      assert.equal(action.outputs[name]?.value, `\${{ steps.send.outputs.${name} }}`);
    }
    const script = send.run?.match(/"\$GITHUB_ACTION_PATH\/([^"]+)"/)?.[1];
    assert.ok(script && existsSync(fileURLToPath(new URL(`../../../${script}`, import.meta.url))));
  });

  it("caches state under a key of its own per run, restored by prefix, saved only when changed", () => {
    const restore = action.runs.steps.find((step) =>
      step.uses?.startsWith("actions/cache/restore@"),
    );
    const save = action.runs.steps.find((step) => step.uses?.startsWith("actions/cache/save@"));
    assert.ok(restore?.with && save?.with);
    assert.equal(restore.with.key, save.with.key);
    assert.match(restore.with.key ?? "", /github\.run_id.*github\.run_attempt/);
    assert.equal(restore.with["restore-keys"]?.trim(), `\${{ inputs.cache-key }}-`);
    assert.match(
      (save as { if?: string }).if ?? "",
      /inputs\.state == 'cache' && steps\.send\.outputs\.state-changed == 'true'/,
    );
  });
});
