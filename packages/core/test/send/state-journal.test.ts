import assert from "node:assert/strict";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  InvalidStateEntryError,
  JOURNAL_FILE,
  readState,
  SKIPPED_LINES_FILE,
  STATE_FILE,
  type StateEntry,
  StateStore,
} from "../../src/send/index.ts";
import { tempStateDir } from "./peers.ts";

const entry = (target: string, extra: Partial<StateEntry> = {}): StateEntry => ({
  source: "https://me.example/a/",
  target,
  status: "rejected",
  attempts: 1,
  firstSeenAt: "2026-01-01T00:00:00.000Z",
  ...extra,
});

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** A state.json with one pair and a journal a crashed run left, one line of it bad. */
async function crashedRun(): Promise<{ dir: string; bad: string[] }> {
  const dir = await tempStateDir();
  await StateStore.open(dir).then((store) => store.close());
  const state = { version: 1, pairs: [entry("https://t.example/1")] };
  await writeFile(join(dir, STATE_FILE), JSON.stringify(state));
  const bad = [
    JSON.stringify(entry("https://t.example/2", { faultCode: 1.5 })),
    "{ torn in the middle",
  ];
  const lines = [
    JSON.stringify(entry("https://t.example/1", { status: "sent", message: "ok" })),
    ...bad,
    JSON.stringify(entry("https://t.example/3", { faultCode: 17 })),
  ];
  await writeFile(join(dir, JOURNAL_FILE), `${lines.join("\n")}\n`);
  return { dir, bad };
}

describe("state journal", () => {
  it("readState reports and skips a bad journal line instead of refusing the state", async () => {
    const { dir } = await crashedRun();
    const warnings: string[] = [];
    const state = await readState(dir, { onWarning: (message) => warnings.push(message) });
    assert.deepEqual(
      state?.pairs.map((pair) => [pair.target, pair.status]),
      [
        ["https://t.example/1", "sent"],
        ["https://t.example/3", "rejected"],
      ],
    );
    assert.equal(warnings.length, 2);
    assert.match(warnings[0] ?? "", /line 2 is not a state entry \(\/faultCode: .*integer/);
    assert.match(warnings[1] ?? "", /line 3 is not a state entry \(not JSON/);
  });

  it("opening the store folds the good lines and keeps the bad ones aside", async () => {
    const { dir, bad } = await crashedRun();
    const store = await StateStore.open(dir);
    try {
      assert.equal(store.size, 2);
      assert.equal(store.warnings.length, 2);
      assert.match(store.warnings[0] ?? "", /kept in .*state\.journal\.skipped/);
    } finally {
      await store.close();
    }
    assert.equal(await readFile(join(dir, SKIPPED_LINES_FILE), "utf8"), `${bad.join("\n")}\n`);
    assert.equal(await exists(join(dir, JOURNAL_FILE)), false);
    const state = JSON.parse(await readFile(join(dir, STATE_FILE), "utf8"));
    assert.equal(state.pairs.length, 2);
  });

  it("refuses to record an entry that does not fit the schema, and journals nothing", async () => {
    const dir = await tempStateDir();
    const store = await StateStore.open(dir);
    try {
      await assert.rejects(
        store.record(entry("https://t.example/1", { faultCode: 1.5 })),
        (error: unknown) =>
          error instanceof InvalidStateEntryError && /\/faultCode/.test(error.message),
      );
      assert.equal(store.get("https://me.example/a/", "https://t.example/1"), undefined);
      assert.equal(await readFile(join(dir, JOURNAL_FILE), "utf8"), "");
    } finally {
      await store.close();
    }
  });
});
