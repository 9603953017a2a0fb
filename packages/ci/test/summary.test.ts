import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type PeerSite, startPeerSite } from "../../core/test/send/peers.ts";
import { runSend } from "../src/run-send.ts";
import { buildRunSummary } from "../src/summary/build-summary.ts";
import { escapeCell, renderMarkdown } from "../src/summary/markdown.ts";
import type { RunSummary } from "../src/summary/model.ts";
import {
  answerByPath,
  LOOPBACK_SEND_ARGS,
  NEW_PAGE,
  OLD_PAGE,
  writeFirstBuild,
  writeSecondBuild,
} from "./send-scenario.ts";

function row(...cells: string[]): RegExp {
  const escaped = cells.map((cell) => cell.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^\\| ${escaped.join(" \\| ")} \\|`, "m");
}

describe("job summary of a send run", () => {
  let site: PeerSite;
  before(async () => {
    site = await startPeerSite();
    answerByPath(site);
  });
  after(() => site.close());

  it("tells each outcome, protocol and reason from real runs against a loopback peer", async () => {
    const dir = await writeFirstBuild(site);
    const first = buildRunSummary(await runSend({ dir, args: LOOPBACK_SEND_ARGS }));
    const firstText = renderMarkdown(first);
    assert.match(firstText, /\*\*1 baseline\*\*/);
    assert.match(firstText, /First run: the links that already existed are recorded as `baseline`/);
    assert.match(firstText, row("baseline", "1"));
    assert.ok(firstText.includes(`\` ${OLD_PAGE} \``));

    await writeSecondBuild(site, dir);
    const run = await runSend({ dir, args: LOOPBACK_SEND_ARGS });
    assert.equal(run.exitCode, 0);
    assert.equal(run.stateChanged, true);
    const summary = buildRunSummary(run);
    const text = renderMarkdown(summary);

    assert.match(text, /\*\*1 sent, 1 rejected, 1 no-endpoint, 1 failed; 1 settled earlier\*\*/);
    assert.match(text, row("outcome", "Pingback"));
    for (const outcome of ["sent", "rejected", "no-endpoint", "failed"]) {
      assert.match(text, row(outcome, "1"), outcome);
    }
    assert.match(text, /#### Sent \(1\)/);
    assert.match(
      text,
      new RegExp(
        `\\| \` ${site.page("/ok").replace(/\./g, "\\.")} \` \\| Pingback \\| \` ${site.url.replace(/\./g, "\\.")}/xmlrpc \` \\|`,
      ),
    );
    assert.match(text, /#### Not sent \(3\)/);
    assert.match(
      text,
      /\| rejected \(fault 17: The source does not link to &lt;b&gt;the target&lt;\/b&gt; \\\| see http\\:\/\/evil\.example\/ and www\\\.evil\.example\) \|/,
    );
    assert.match(text, /\| no-endpoint \|/);
    assert.match(text, /\| retry at \d{4}-\d\d-\d\d \d\d:\d\d UTC \(fault 0: try later\) \|/);
    assert.match(
      text,
      /state\.json after the run: sent 1, rejected 1, no-endpoint 1, failed 1, baseline 1; changed by this run\./,
    );
    // Nothing a peer wrote reaches the Markdown raw.
    for (const char of ["\u202E", "\u202C", "\u009B"]) assert.ok(!text.includes(char));
    assert.doesNotMatch(text, /<b>/);

    // The next run: the failed pair is not due yet, nothing else to do.
    const third = buildRunSummary(await runSend({ dir, args: LOOPBACK_SEND_ARGS }));
    const thirdText = renderMarkdown(third);
    assert.equal(third.stateChanged, false);
    assert.match(thirdText, /\*\*1 waiting; 4 settled earlier\*\*/);
    assert.match(
      thirdText,
      /\| retry at \d{4}-\d\d-\d\d \d\d:\d\d UTC \(not due yet; last: fault 0: try later\) \|/,
    );
    assert.match(thirdText, /unchanged by this run/);
    assert.ok(third.pairs.every((pair) => pair.source === NEW_PAGE));
  });

  it("a dry run lists what would be sent and leaves state alone", async () => {
    const dir = await writeFirstBuild(site);
    await writeSecondBuild(site, dir);
    const run = await runSend({ dir, dryRun: true, args: LOOPBACK_SEND_ARGS });
    assert.equal(run.stateChanged, false);
    const text = renderMarkdown(buildRunSummary(run));
    assert.match(text, /^> Dry run: nothing was sent/m);
    assert.match(text, /#### Would be sent \(4\)/);
    assert.match(text, /\*\*4 planned, 1 would be baseline \(dry run\)\*\*/);
  });

  it("a send that fails before its report shows the CLI's error, cleaned", async () => {
    const run = await runSend({ dir: "/nonexistent/sp-ci-dir", args: LOOPBACK_SEND_ARGS });
    assert.equal(run.exitCode, 1);
    const summary = buildRunSummary(run);
    const text = renderMarkdown(summary);
    assert.match(text, /\*\*send did not complete:\*\*/);
    assert.match(text, /no manifest\.json or outbox\.json/);
  });
});

describe("Markdown rendering", () => {
  const base: RunSummary = {
    dryRun: false,
    firstRun: false,
    stopped: false,
    pairs: [],
    settledEarlier: 0,
    plannedBaseline: 0,
    heldAtBuild: [],
    totals: {},
    stateChanged: false,
    notes: [],
  };

  it("escapes what would be Markdown, HTML, a link or a block marker", () => {
    assert.equal(escapeCell("a|b"), "a\\|b");
    assert.equal(escapeCell("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
    assert.equal(
      escapeCell("[click](javascript:x) *bold* _it_ `code` ~s~ $x$"),
      "\\[click\\](javascript:x) \\*bold\\* \\_it\\_ \\`code\\` \\~s\\~ \\$x\\$",
    );
    assert.equal(escapeCell("# heading"), "\\# heading");
    assert.equal(escapeCell("1. item"), "1\\. item");
    assert.equal(
      escapeCell("see https://x.example or WWW.x.example, me@x.example"),
      "see https\\://x.example or WWW\\.x.example, me\\@x.example",
    );
    assert.equal(escapeCell("line\nbreak\u202Eevil\u0000"), "line breakevil");
  });

  it("shows Webmention beside Pingback with a total column when both are there", () => {
    const text = renderMarkdown({
      ...base,
      pairs: [
        {
          source: "https://me.example/a/",
          target: "https://x.example/",
          protocol: "pingback",
          outcome: "sent",
        },
        {
          source: "https://me.example/a/",
          target: "https://y.example/",
          protocol: "webmention",
          outcome: "sent",
        },
        {
          source: "https://me.example/a/",
          target: "https://z.example/",
          protocol: "webmention",
          outcome: "no-endpoint",
          reason: "no-endpoint",
        },
      ],
    });
    assert.match(text, /^\| outcome \| Pingback \| Webmention \| total \|$/m);
    assert.match(text, /^\| sent \| 1 \| 1 \| 2 \|$/m);
    assert.match(text, /^\| no-endpoint \| 0 \| 1 \| 1 \|$/m);
    assert.match(text, /\| Webmention \| no-endpoint \|$/m);
  });

  it("gives build-time reasons and caps long tables", () => {
    const pairs = Array.from({ length: 130 }, (_, i) => ({
      source: "https://me.example/a/",
      target: `https://x.example/${i}`,
      protocol: "pingback" as const,
      outcome: "excluded" as const,
      reason: "excluded",
    }));
    pairs.push({
      source: "https://me.example/a/",
      target: "https://me.example/b/",
      protocol: "pingback",
      outcome: "same-site" as "excluded",
      reason: "same-site",
    });
    const text = renderMarkdown({ ...base, pairs });
    assert.match(text, /#### Not sent \(131\)/);
    assert.match(text, /… and 31 more: run `static-pingback status` for all\./);
    assert.equal(text.match(/\| excluded \|$/gm)?.length, 100);
  });

  it("a URL with backticks or a pipe stays one code span in one cell", () => {
    const text = renderMarkdown({
      ...base,
      pairs: [
        {
          source: "https://me.example/a/",
          target: "https://x.example/`a`|b",
          protocol: "pingback",
          outcome: "rejected",
          reason: "rejected",
        },
      ],
    });
    assert.match(text, /\| `` https:\/\/x\.example\/`a`\\\|b `` \| Pingback \| rejected \|/);
  });
});
