import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import { BIN, type CliResult } from "./run-cli.ts";

/** The CLI started on a Node that says it is `version` (process.versions.node replaced first). */
function runAs(version: string, args: readonly string[]): Promise<CliResult> {
  const fake = `Object.defineProperty(process.versions,"node",{value:${JSON.stringify(version)}})`;
  const child = spawn(
    process.execPath,
    ["--import", `data:text/javascript,${encodeURIComponent(fake)}`, BIN, ...args],
    { env: { ...process.env, CI: "1", NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe("static-pingback on an older Node", () => {
  it("stops with one line saying which Node it needs and which it found", async () => {
    for (const args of [["--version"], ["send", "--help"], ["discover", "http://127.0.0.1:9/"]]) {
      const result = await runAs("22.13.0", args);
      assert.equal(result.code, 1, args.join(" "));
      assert.equal(result.stdout, "");
      assert.equal(
        result.stderr,
        "[static-pingback] needs Node.js 22.19.0 or newer, found 22.13.0. Install a current Node.js (https://nodejs.org/) and run it again.\n",
      );
    }
  });

  it("runs at the floor itself", async () => {
    const result = await runAs("22.19.0", ["--version"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^\d+\.\d+\.\d+/);
  });
});
