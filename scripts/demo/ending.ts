/**
 * The demo's last step. While it keeps serving: the URLs to open. With `--once` the
 * servers are stopped by then, so it names the rebuilt files instead of dead URLs,
 * and how to browse them (a run without --once serves the same URLs and re-sends nothing).
 */
import { join, relative } from "node:path";
import type { Loop } from "./loop.ts";

export interface Ending {
  heading: string;
  lines: string[];
}

type LoopView = Pick<Loop, "urls" | "dirs" | "posts">;

/** The built page file of a post URL in an output directory. */
export function builtFile(out: string, post: string): string {
  return join(out, new URL(post).pathname, "index.html");
}

export function demoEnding(loop: LoopView, once: boolean, cwd = process.cwd()): Ending {
  const astroPost = "Astro post with the Eleventy blog's citation:  ";
  const eleventyPost = "Eleventy post with the Astro blog's citation:  ";
  if (!once) {
    return {
      heading: "open these, Ctrl-C to stop:",
      lines: [
        `${astroPost}${loop.posts.astro}`,
        `${eleventyPost}${loop.posts.eleventy}`,
        `received pingbacks (JF2): ${loop.urls.astroReceiver}pingbacks.jf2`,
      ],
    };
  }
  const file = (out: string, post: string) => relative(cwd, builtFile(out, post)) || ".";
  return {
    heading: "done (--once): the sites and receivers are stopped. The rebuilt posts:",
    lines: [
      `${astroPost}${file(loop.dirs.astroOut, loop.posts.astro)}`,
      `${eleventyPost}${file(loop.dirs.eleventyOut, loop.posts.eleventy)}`,
      "To browse them, run the demo without --once: it serves the same addresses and sends nothing again.",
    ],
  };
}
