#!/usr/bin/env node
import { runAction } from "./run-action.ts";

process.exitCode = await runAction({
  env: process.env,
  cwd: process.cwd(),
  log: (line) => process.stdout.write(`${line}\n`),
});
