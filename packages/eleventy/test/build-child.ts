// Runs one build for helpers.buildInChild: node build-child.ts '{"root", "options", "buildOptions"}'
import { build, projectAt } from "./helpers.ts";

const { root, options, buildOptions } = JSON.parse(process.argv[2] as string);
await build(projectAt(root), options, buildOptions);
