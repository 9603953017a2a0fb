#!/usr/bin/env node
// Only import-free modules here: on a Node older than the floor, a dependency (undici,
// node:sqlite) would crash while loading, before any message could say why.
import { assertNodeVersion, NodeVersionError } from "@static-pingback/core/node-version";
import { EXIT } from "./exit-codes.ts";

try {
  assertNodeVersion("static-pingback");
} catch (error) {
  if (!(error instanceof NodeVersionError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(EXIT.error);
}

const { main } = await import("./program.ts");

// `static-pingback status | head` closes the pipe early: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv);
