import { type OnSuccessArguments, runOnSuccess } from "./on-success.ts";

export { PluginInputError, type PluginInputs, resolveInputs } from "./inputs.ts";
export {
  type NetlifyUtils,
  type OnSuccessArguments,
  type OnSuccessContext,
  runOnSuccess,
} from "./on-success.ts";

/** Netlify's onSuccess event: runs once the deploy is live. */
export async function onSuccess(args: OnSuccessArguments): Promise<void> {
  await runOnSuccess(args, {
    env: process.env,
    cwd: process.cwd(),
    log: (line) => console.log(line),
  });
}
