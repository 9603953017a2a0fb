/**
 * `npm run demo` / `pnpm demo [--once] [--fresh]`: the product end to end on 127.0.0.1.
 *
 *   1. build examples/eleventy-blog, whose "Hello, Astro" post links to the Astro blog;
 *   2. build examples/astro-blog, whose pages advertise a local receiver;
 *   3. serve both sites and a `static-pingback serve` receiver for each;
 *   4. `static-pingback send` for both blogs: discovery, XML-RPC, verification;
 *   5. rebuild both, so each linked post shows the citation (<Pingbacks />, {% pingbacks %});
 *   6. keep serving until Ctrl-C (`--once`: exit after step 5).
 *
 * State lives in .demo/ and ports are fixed (DEMO_PORT_BASE, default 8411), so a second
 * run sees the same URLs and sends nothing new. `--fresh` starts over.
 */
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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
    const file = join(out, new URL(post).pathname, "index.html");
    const html = await readFile(file, "utf8").catch(() => "");
    const cited = html.includes('class="pingbacks__item h-cite"');
    say(`${which} post ${post} ${cited ? "shows the citation" : "shows no citation yet"}`);
  }

  step(6, once ? "done (--once)" : "open these, Ctrl-C to stop:");
  say(`Astro post with the Eleventy blog's citation:  ${loop.posts.astro}`);
  say(`Eleventy post with the Astro blog's citation:  ${loop.posts.eleventy}`);
  say(`received pingbacks (JF2): ${loop.urls.astroReceiver}pingbacks.jf2`);
  if (once) {
    await loop.close();
  } else {
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
