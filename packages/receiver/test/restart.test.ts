import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { SqlitePingbackStore } from "../src/store/sqlite-store.ts";
import { html, MANIFEST, page, ping, SITE, startSourceServer, TARGET, tempDir } from "./helpers.ts";

const tmp = tempDir();
after(() => tmp.remove());

const fixture = new URL("./fixtures/serve-child.ts", import.meta.url).pathname;

async function startChild(
  db: string,
  manifest: string,
): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, [fixture, db, manifest, SITE], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = (await once(child.stdout as NodeJS.ReadableStream, "data")) as [Buffer];
  return { child, endpoint: `${line.toString().trim()}/xmlrpc` };
}

async function kill9(child: ChildProcess): Promise<void> {
  const exited = once(child, "exit");
  child.kill("SIGKILL");
  await exited;
}

test("kill -9 after a success or a 'queued' answer loses nothing; restart resumes verification", async () => {
  const source = await startSourceServer();
  const manifest = join(tmp.dir, "manifest.json");
  writeFileSync(manifest, JSON.stringify(MANIFEST));
  const db = join(tmp.dir, "restart.db");
  const link = html(`<a href="${TARGET}">t</a>`, "Held");
  source.route("/fast", page(link));
  let holdSlow = true;
  source.route("/slow", (req, res) => {
    if (holdSlow) return; // never answers: the receiver queues, then is killed
    page(link)(req, res);
  });

  try {
    let run = await startChild(db, manifest);
    assert.equal((await ping(run.endpoint, `${source.origin}/fast`, TARGET)).kind, "success");
    await kill9(run.child);

    run = await startChild(db, manifest);
    const queued = await ping(run.endpoint, `${source.origin}/slow`, TARGET);
    assert.equal(queued.kind === "success" && /verified/.test(String(queued.value)), true);
    await kill9(run.child);

    const store = new SqlitePingbackStore(db);
    assert.equal(store.find(`${source.origin}/fast`, TARGET)?.verification, "verified");
    assert.equal(store.find(`${source.origin}/slow`, TARGET)?.verification, "queued");

    holdSlow = false;
    run = await startChild(db, manifest);
    // The restarted receiver re-verifies the queued ping on its own; wait for it (bounded).
    for (
      let i = 0;
      i < 100 && store.find(`${source.origin}/slow`, TARGET)?.verification === "queued";
      i++
    ) {
      await sleep(100);
    }
    const resumed = store.find(`${source.origin}/slow`, TARGET);
    assert.equal(resumed?.verification, "verified");
    assert.equal(resumed?.post.title, "Held");
    assert.equal(store.count(), 2);
    store.close();

    const exited = once(run.child, "exit");
    run.child.kill("SIGTERM");
    const [code] = await exited;
    assert.equal(code, 0, "graceful shutdown exits 0");
  } finally {
    await source.close();
  }
});
