/** The progress bar says when the run is waiting for a host, and which one. */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { type PeerSite, startPeerSite, writeSiteFiles } from "../../core/test/send/peers.ts";
import { main } from "../src/program.ts";

/** A stream that looks like a terminal to the CLI, keeping what is written. */
function terminal(): Writable & { isTTY: boolean; columns: number; text: string } {
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      stream.text += chunk.toString();
      callback();
    },
  }) as Writable & { isTTY: boolean; columns: number; text: string };
  return Object.assign(stream, { isTTY: true, columns: 160, text: "" });
}

describe("progress bar", () => {
  let site: PeerSite;
  before(async () => {
    site = await startPeerSite();
  });
  after(() => site.close());

  it("shows the host it waits for while the host interval holds the next ping", async () => {
    const target = site.page("/post");
    const dir = await writeSiteFiles(
      { "https://me.example/a/": [target], "https://me.example/b/": [target] },
      { previous: null },
    );
    const stderr = terminal();
    const stdout = terminal();
    const code = await main(
      ["node", "static-pingback", "send", "--dir", dir, "--all", "--allow-private"].concat([
        "--host-interval",
        "2500ms",
      ]),
      { stdout, stderr, env: { NO_COLOR: "1" }, exitCode: 0, version: "0.0.0-test" },
    );
    assert.equal(code, 0, stderr.text);
    const host = new URL(target).host;
    assert.match(
      stderr.text,
      new RegExp(`waiting [12]s for ${host.replaceAll(".", "\\.")} \\(--host-interval\\)`),
    );
    assert.equal(site.pingTimes.length, 2);
  });
});
