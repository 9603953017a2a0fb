import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const peers = fileURLToPath(new URL("./peers.ts", import.meta.url));

describe("test peers", () => {
  it("remove the state directories they made when the process exits", async () => {
    const script = `
      const { writeSiteFiles } = await import(${JSON.stringify(peers)});
      const dir = await writeSiteFiles({ "https://me.example/a/": ["https://t.example/"] }, { previous: null });
      console.log(dir);`;
    const { stdout } = await promisify(execFile)(process.execPath, [
      "--input-type=module",
      "-e",
      script,
    ]);
    const dir = stdout.trim();
    assert.match(dir, /sp-send-.*\.pingback$/);
    const gone = await stat(dirname(dir)).then(
      () => false,
      () => true,
    );
    assert.ok(gone, `${dirname(dir)} is still there`);
  });
});
