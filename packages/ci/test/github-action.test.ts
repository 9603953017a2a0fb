import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { tempDir } from "../../../test/support/temp-dirs.ts";
import { type PeerSite, startPeerSite, totalReceived } from "../../core/test/send/peers.ts";
import { BOT_EMAIL, BOT_NAME } from "../src/github/commit-state.ts";
import { startDeployedSite } from "./loopback-deploy.ts";
import {
  answerByPath,
  LOOPBACK_SEND_ARGS,
  writeFirstBuild,
  writeSecondBuild,
} from "./send-scenario.ts";

/** The script action.yml's step runs (it starts this checkout's build of the entry point). */
const ENTRY = fileURLToPath(new URL("../action-entry.sh", import.meta.url));
const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const ARTIFACT = join(REPO, "test-artifacts", "github-action-job-summary.md");

interface StepResult {
  code: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
}

/**
 * Runs the entry point as the runner runs the action's step: inputs as INPUT_* variables
 * (hyphens as underscores, the spelling action.yml's step maps them to), the summary
 * and output files the runner creates, the workspace as the working directory.
 */
async function runStep(
  workspace: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<StepResult> {
  const files = await tempDir("sp-runner-");
  const summaryFile = join(files, "step_summary");
  const outputFile = join(files, "output");
  await writeFile(summaryFile, "");
  await writeFile(outputFile, "");
  const inputEnv = Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [
      `INPUT_${name.toUpperCase().replace(/-/g, "_")}`,
      value,
    ]),
  );
  const child = spawn("bash", [ENTRY], {
    cwd: workspace,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_OUTPUT: outputFile,
      GITHUB_REF_NAME: "main",
      ...inputEnv,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((done) => child.on("close", done));
  const outputs: Record<string, string> = {};
  for (const line of (await readFile(outputFile, "utf8")).split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
  }
  return { code, stdout, stderr, summary: await readFile(summaryFile, "utf8"), outputs };
}

describe("the GitHub Action's entry point, run as the runner does", () => {
  let peer: PeerSite;
  before(async () => {
    peer = await startPeerSite();
    answerByPath(peer);
  });
  after(() => peer.close());

  it("waits for the deploy, sends, writes the summary, annotations and outputs", async (t) => {
    const workspace = await tempDir("sp-action-");
    const dir = await writeFirstBuild(peer, join(workspace, ".pingback"));
    const deployed = await startDeployedSite(dir);
    t.after(() => deployed.close());
    const inputs = {
      "state-dir": ".pingback",
      "site-url": `${deployed.url}/`,
      "wait-timeout": "60",
      state: "none",
      concurrency: "2",
      args: LOOPBACK_SEND_ARGS.join(" "),
    };

    deployed.notLiveFor = 1;
    const first = await runStep(workspace, inputs);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(deployed.manifestRequests, 2, "one 404, then the new manifest");
    assert.match(first.stdout, /not yet: HTTP 404/);
    assert.deepEqual(first.outputs, { sent: "0", failed: "0", "state-changed": "true" });
    assert.match(first.summary, /\*\*1 baseline\*\*/);
    assert.equal(totalReceived([peer]), 0);

    await writeSecondBuild(peer, dir);
    deployed.manifestRequests = 0;
    deployed.notLiveFor = 0;
    const second = await runStep(workspace, inputs);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(second.outputs, { sent: "1", failed: "2", "state-changed": "true" });
    assert.match(
      second.summary,
      /^Deploy check: http\\:\/\/127\.0\.0\.1:\d+\/pingback-manifest\.json serves this build's manifest \(1 check/m,
    );
    assert.match(
      second.summary,
      /\*\*1 sent, 1 rejected, 1 no-endpoint, 1 failed; 1 settled earlier\*\*/,
    );
    assert.match(second.summary, /\| rejected \(fault 17: /);
    assert.match(
      second.summary,
      /\| retry at \d{4}-\d\d-\d\d \d\d:\d\d UTC \(fault 0: try later\) \|/,
    );
    // One annotation per rejected pair, escaped for the runner (no raw line breaks, no "::" cut).
    const warnings = second.stdout.split("\n").filter((line) => line.startsWith("::warning"));
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0] ?? "",
      /^::warning title=Pingback rejected::https:\/\/me\.example\/new\/ -> http:\/\/127\.0\.0\.1:\d+\/rejected: rejected \(fault 17: The source does not link to <b>the target<\/b> \| see/,
    );
    assert.ok(!(warnings[0] ?? "").includes("\u202E"));

    await mkdir(dirname(ARTIFACT), { recursive: true });
    await writeFile(ARTIFACT, second.summary);
    t.diagnostic(`job summary of this run: ${ARTIFACT}`);
  });

  it("gives up after the bounded wait when the deploy never goes live, sending nothing", async (t) => {
    const workspace = await tempDir("sp-action-");
    const dir = await writeFirstBuild(peer, join(workspace, ".pingback"));
    await writeSecondBuild(peer, dir);
    const deployed = await startDeployedSite(dir);
    t.after(() => deployed.close());
    deployed.live = false;
    peer.received.clear();
    const result = await runStep(workspace, {
      "site-url": deployed.url,
      "wait-timeout": "1",
      state: "none",
      args: LOOPBACK_SEND_ARGS.join(" "),
    });
    assert.equal(result.code, 1);
    assert.match(
      result.stdout,
      /^::error title=static-pingback%3A deploy not live::The deployed site did not serve this build's manifest within 1 s/m,
    );
    assert.deepEqual(result.outputs, { sent: "0", failed: "0", "state-changed": "false" });
    assert.match(result.summary, /last seen: HTTP 404\)\. Nothing was sent/);
    assert.equal(totalReceived([peer]), 0);
    assert.ok(deployed.manifestRequests >= 1);
  });

  it("a bad input fails the step with an error annotation naming it", async () => {
    const workspace = await tempDir("sp-action-");
    const result = await runStep(workspace, { state: "s3" });
    assert.equal(result.code, 1);
    assert.match(
      result.stdout,
      /^::error title=static-pingback::input state: expected cache, commit or none, got "s3"$/m,
    );
    const dry = await runStep(workspace, { "dry-run": "yes" });
    assert.match(dry.stdout, /input dry-run: expected true or false, got "yes"/);
    // A node action's runner spelling (hyphens kept) is read too.
    const hyphens = await runStep(workspace, {}, { "INPUT_DRY-RUN": "maybe" });
    assert.match(hyphens.stdout, /input dry-run: expected true or false, got "maybe"/);
  });

  it("state: commit commits state.json alone with the bot identity and [skip ci], and pushes", async (t) => {
    const root = await tempDir("sp-action-git-");
    const remote = join(root, "remote.git");
    const workspace = join(root, "work");
    const AUTHOR = ["-c", "user.name=Author", "-c", "user.email=a@example.com"];
    const git = (cwd: string, ...args: string[]) =>
      execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
    git(root, "init", "--quiet", "--bare", "--initial-branch=main", remote);
    git(root, "init", "--quiet", "--initial-branch=main", workspace);
    git(workspace, ...AUTHOR, "commit", "--quiet", "--allow-empty", "-m", "site");
    git(workspace, "remote", "add", "origin", remote);
    git(workspace, "push", "--quiet", "origin", "main");
    const dir = await writeFirstBuild(peer, join(workspace, ".pingback"));
    await writeFile(join(workspace, "unrelated.txt"), "a build output the job must not commit\n");
    const deployed = await startDeployedSite(dir);
    t.after(() => deployed.close());

    const result = await runStep(workspace, {
      "site-url": deployed.url,
      state: "commit",
      args: LOOPBACK_SEND_ARGS.join(" "),
    });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(result.outputs["state-changed"], "true");
    const log = git(remote, "log", "-1", "--format=%an <%ae>%n%s", "main");
    assert.equal(
      log,
      `${BOT_NAME} <${BOT_EMAIL}>\nstatic-pingback: record sent pingbacks [skip ci]`,
    );
    assert.equal(git(remote, "show", "--name-only", "--format=", "main"), ".pingback/state.json");
    assert.match(result.summary, /State committed to main \([0-9a-f]{12}\)\./);
    assert.equal(
      git(remote, "show", "main:.pingback/state.json"),
      (await readFile(join(dir, "state.json"), "utf8")).trim(),
    );

    // A run that changes nothing commits nothing.
    const again = await runStep(workspace, {
      "site-url": deployed.url,
      state: "commit",
      args: LOOPBACK_SEND_ARGS.join(" "),
    });
    assert.equal(again.code, 0);
    assert.equal(again.outputs["state-changed"], "false");
    assert.equal(git(remote, "rev-list", "--count", "main"), "2");

    // Someone pushed meanwhile: the push is refused, rebased once, pushed.
    const other = join(root, "other");
    git(root, "clone", "--quiet", remote, other);
    await writeFile(join(other, "post.md"), "a new post\n");
    git(other, "add", "post.md");
    git(other, ...AUTHOR, "commit", "--quiet", "-m", "post");
    git(other, "push", "--quiet", "origin", "main");
    await writeSecondBuild(peer, dir);
    const rebased = await runStep(workspace, {
      "site-url": deployed.url,
      state: "commit",
      args: LOOPBACK_SEND_ARGS.join(" "),
    });
    assert.equal(rebased.code, 0, rebased.stdout + rebased.stderr);
    assert.equal(
      git(remote, "log", "--format=%s", "main"),
      [
        "static-pingback: record sent pingbacks [skip ci]",
        "post",
        "static-pingback: record sent pingbacks [skip ci]",
        "site",
      ].join("\n"),
    );
    assert.equal(
      git(remote, "show", "main:.pingback/state.json"),
      (await readFile(join(dir, "state.json"), "utf8")).trim(),
    );
  });
});
