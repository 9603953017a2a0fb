import assert from "node:assert/strict";
import { cp, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { bindOpts } from "@netlify/cache-utils";
import { tempDir } from "../../../test/support/temp-dirs.ts";
import { startDeployedSite } from "../../ci/test/loopback-deploy.ts";
import {
  answerByPath,
  LOOPBACK_SEND_ARGS,
  writeFirstBuild,
  writeSecondBuild,
} from "../../ci/test/send-scenario.ts";
import { type PeerSite, startPeerSite, totalReceived } from "../../core/test/send/peers.ts";
import { type NetlifyUtils, runOnSuccess } from "../src/index.ts";

type Shown = Parameters<NetlifyUtils["status"]["show"]>[0];

/**
 * One Netlify build's `utils`: the cache is the real @netlify/cache-utils bound to a
 * cache directory as Netlify's build binds it (kept across builds, the checkout is not).
 * status.show and failPlugin are Netlify's own runtime functions: recorded here.
 */
function buildUtils(cacheDir: string, cwd: string) {
  const shown: Shown[] = [];
  const failures: string[] = [];
  // Its types make the options argument required; Netlify calls these with paths only.
  const cache = bindOpts({ cacheDir, cwd });
  const utils: NetlifyUtils = {
    cache: {
      restore: (path) => cache.restore(path, {}),
      save: (path) => cache.save(path, {}),
    },
    status: { show: (status) => shown.push(status) },
    build: { failPlugin: (message) => failures.push(message) },
  };
  return { utils, cache, shown, failures };
}

const INPUTS = { args: LOOPBACK_SEND_ARGS, wait_timeout: 30 };

describe("Netlify plugin: onSuccess", () => {
  let peer: PeerSite;
  before(async () => {
    peer = await startPeerSite();
    answerByPath(peer);
  });
  after(() => peer.close());

  it("keeps state in the build cache across fresh checkouts and shows the summary", async (t) => {
    const cacheDir = await tempDir("sp-netlify-cache-");
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);

    // Build 1 in a fresh checkout: a first run records the existing link as baseline.
    const first = await tempDir("sp-netlify-build-");
    const firstDir = await writeFirstBuild(peer, join(first, ".pingback"));
    const deployed = await startDeployedSite(firstDir);
    t.after(() => deployed.close());
    const env = { CONTEXT: "production", URL: deployed.url };
    const one = buildUtils(cacheDir, first);
    await runOnSuccess({ inputs: INPUTS, utils: one.utils }, { env, cwd: first, log });
    assert.deepEqual(one.failures, []);
    assert.match(one.shown[0]?.summary ?? "", /^1 baseline$/);
    assert.match(one.shown[0]?.text ?? "", /No state in Netlify's build cache yet\./);
    assert.equal(await one.cache.has(join(firstDir, "state.json"), {}), true);

    // Build 2 in another fresh checkout: only the build's files, the state comes from the cache.
    const second = await tempDir("sp-netlify-build-");
    const secondDir = join(second, ".pingback");
    await writeFirstBuild(peer, secondDir);
    await writeSecondBuild(peer, secondDir);
    await cp(join(secondDir, "manifest.json"), join(firstDir, "manifest.json"));
    const two = buildUtils(cacheDir, second);
    await runOnSuccess({ inputs: INPUTS, utils: two.utils }, { env, cwd: second, log });
    assert.deepEqual(two.failures, []);
    assert.equal(
      two.shown[0]?.summary,
      "1 sent, 1 rejected, 1 no-endpoint, 1 failed; 1 settled earlier",
    );
    const text = two.shown[0]?.text ?? "";
    assert.match(text, /State restored from Netlify's build cache\./);
    assert.match(text, /\| rejected \(fault 17: /);
    assert.equal(totalReceived([peer]), 3, "ok, rejected and flaky pinged; the baseline link not");
    assert.match(lines.join("\n"), /Restored state\.json from the build cache/);

    // The cache now holds build 2's state.
    const third = await tempDir("sp-netlify-build-");
    const three = buildUtils(cacheDir, third);
    assert.equal(await three.utils.cache.restore(join(third, ".pingback", "state.json")), true);
    assert.equal(
      await readFile(join(third, ".pingback", "state.json"), "utf8"),
      await readFile(join(secondDir, "state.json"), "utf8"),
    );
  });

  it("skips deploy previews and branch deploys unless inputs.contexts asks", async (t) => {
    const cacheDir = await tempDir("sp-netlify-cache-");
    const cwd = await tempDir("sp-netlify-build-");
    const dir = await writeFirstBuild(peer, join(cwd, ".pingback"));
    await writeSecondBuild(peer, dir);
    const deployed = await startDeployedSite(dir);
    t.after(() => deployed.close());
    peer.received.clear();
    const log = () => {};

    for (const CONTEXT of ["deploy-preview", "branch-deploy", ""]) {
      const build = buildUtils(cacheDir, cwd);
      await runOnSuccess(
        { inputs: INPUTS, utils: build.utils },
        { env: { CONTEXT, DEPLOY_PRIME_URL: deployed.url }, cwd, log },
      );
      assert.match(
        build.shown[0]?.summary ?? "",
        new RegExp(`^Nothing sent: ${CONTEXT || "unknown"} deploys do not send`),
      );
    }
    assert.equal(deployed.manifestRequests, 0);
    assert.equal(totalReceived([peer]), 0);
    assert.equal(await buildUtils(cacheDir, cwd).cache.has(join(dir, "state.json"), {}), false);

    const asked = buildUtils(cacheDir, cwd);
    await runOnSuccess(
      { inputs: { ...INPUTS, contexts: ["production", "deploy-preview"] }, utils: asked.utils },
      { env: { CONTEXT: "deploy-preview", DEPLOY_PRIME_URL: deployed.url }, cwd, log },
    );
    assert.deepEqual(asked.failures, []);
    assert.ok(deployed.manifestRequests >= 1, "the preview's own URL is checked");
    assert.match(asked.shown[0]?.summary ?? "", /^1 sent, 1 rejected, 1 no-endpoint, 1 failed/);
  });
});
