/**
 * `npm run demo` / `pnpm demo [--once] [--fresh]`: the product end to end on 127.0.0.1.
 *
 *   1. build examples/eleventy-blog, whose "Hello, Astro" post links to the Astro blog;
 *   2. build examples/astro-blog, whose pages advertise a local receiver;
 *   3. serve both sites and a `static-pingback serve` receiver for each;
 *   4. `static-pingback send` for both blogs: discovery, then Webmention to the Astro blog
 *      (it advertises both) and Pingback to the Eleventy blog (it takes pingbacks only);
 *   5. rebuild both, so each linked post shows the citation (<Pingbacks />, {% pingbacks %});
 *   6. keep serving until Ctrl-C (`--once`: stop everything, name the rebuilt files, exit).
 *
 * State lives in .demo/ and ports are fixed (DEMO_PORT_BASE, default 8411), so a second
 * run sees the same URLs and sends nothing new. `--fresh` starts over.
 */
import { readFile, rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { builtFile, demoEnding } from "./demo/ending.ts";
import { startLoop } from "./demo/loop.ts";

const args = new Set(process.argv.slice(2));
const once = args.has("--once");
const workDir = fileURLToPath(new URL("../.demo/", import.meta.url));
if (args.has("--fresh")) await rm(workDir, { recursive: true, force: true });
const portBase = Number(process.env.DEMO_PORT_BASE ?? 8411);

const step = (n: number, text: string) => console.log(`\n${n}. ${text}`);
const say = (text: string) => console.log(`   ${text}`);

step(1, "build both example blogs (then 2. serve them, 3. start a receiver for each)");
let loop: Awaited<ReturnType<typeof startLoop>>;
try {
  loop = await startLoop({
    workDir,
    ports: {
      eleventy: portBase,
      astro: portBase + 1,
      eleventyReceiver: portBase + 2,
      astroReceiver: portBase + 3,
    },
    log: say,
  });
} catch (error) {
  const message = (error as Error).message;
  if (/EADDRINUSE/.test(message)) {
    console.error(
      `\nA demo port (${portBase}–${portBase + 3}) is in use: stop the other demo, or set DEMO_PORT_BASE.`,
    );
  } else console.error(`\nThe demo failed: ${message}`);
  process.exit(1);
}

try {
  step(4, "static-pingback send, after the 'deploy'");
  for (const which of ["eleventy", "astro"] as const) {
    const report = await loop.send(which);
    const counts = Object.entries(report.settled)
      .filter(([, count]) => count > 0)
      .map(([status, count]) => `${status} ${count}`)
      .join(", ");
    for (const outcome of report.outcomes) {
      say(
        `${which} blog: ${outcome.protocol ?? "no endpoint"} ${outcome.status}: ${new URL(outcome.source).pathname} -> ${outcome.target}`,
      );
    }
    say(
      report.sent > 0
        ? `${which} blog: ${counts}`
        : `${which} blog: nothing new to send (every link was delivered before; see ${which === "eleventy" ? loop.dirs.eleventyState : loop.dirs.astroState}/state.json)`,
    );
  }

  step(5, "rebuild both blogs with what their receivers accepted");
  say(await loop.build("astro"));
  say(await loop.build("eleventy"));
  for (const [which, post, out] of [
    ["astro", loop.posts.astro, loop.dirs.astroOut],
    ["eleventy", loop.posts.eleventy, loop.dirs.eleventyOut],
  ] as const) {
    const file = builtFile(out, post);
    const html = await readFile(file, "utf8").catch(() => "");
    const cited = html.includes('class="pingbacks__item h-cite"');
    // The path, not the URL: under --once the server is gone by the time this is read.
    const path = new URL(post).pathname;
    say(`${which} post ${path} ${cited ? "shows the citation" : "shows no citation yet"}`);
  }

  // --once stops the servers first, so the last words name only what is still there.
  if (once) await loop.close();
  const ending = demoEnding(loop, once);
  step(6, ending.heading);
  for (const line of ending.lines) say(line);
  if (!once) {
    process.once("SIGINT", async () => {
      await loop.close();
      process.exit(0);
    });
  }
} catch (error) {
  await loop.close();
  console.error(`\nThe demo failed: ${(error as Error).message}`);
  process.exit(1);
}
