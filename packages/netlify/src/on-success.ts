import { join, resolve } from "node:path";
import {
  countOf,
  escapeCell,
  headline,
  renderMarkdown,
  sendAfterDeploy,
} from "@static-pingback/ci";
import { type PluginInputs, resolveInputs } from "./inputs.ts";

/** The part of Netlify's `utils` the plugin uses (Netlify supplies it at build time). */
export interface NetlifyUtils {
  cache: {
    restore(path: string | string[]): Promise<boolean>;
    save(path: string | string[]): Promise<boolean>;
  };
  status: { show(status: { title?: string; summary: string; text?: string }): void };
  build: { failPlugin(message: string, options?: { error?: unknown }): void };
}

export interface OnSuccessArguments {
  inputs: PluginInputs;
  utils: NetlifyUtils;
}

export interface OnSuccessContext {
  /** Netlify's build environment: CONTEXT, URL, DEPLOY_PRIME_URL… */
  env: NodeJS.ProcessEnv;
  /** The build's base directory (Netlify runs plugins there). */
  cwd: string;
  log: (line: string) => void;
}

const TITLE = "static-pingback";
/** state.json, and the journal a killed run leaves (send folds it in next time). */
const CACHED_FILES = ["state.json", "state.journal"];

/**
 * The deployed URL to check: the input, else production's main URL, else this deploy's
 * own URL (previews and branch deploys, when asked to send).
 */
function deployedSite(siteUrl: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (siteUrl) return siteUrl;
  return (
    (env.CONTEXT === "production" ? env.URL : env.DEPLOY_PRIME_URL || env.DEPLOY_URL) || undefined
  );
}

/**
 * After the deploy is live: in the chosen contexts (production only by default), restore
 * the state from Netlify's build cache, send, save the state back, and show the summary
 * in the deploy's page. Never fails the deploy; a problem marks the plugin failed.
 */
export async function runOnSuccess(
  { inputs: raw, utils }: OnSuccessArguments,
  context: OnSuccessContext,
): Promise<void> {
  let inputs: ReturnType<typeof resolveInputs>;
  try {
    inputs = resolveInputs(raw);
  } catch (error) {
    utils.build.failPlugin((error as Error).message, { error });
    return;
  }
  // Netlify sets CONTEXT in every build; without it (a local run) nothing is sent.
  const deployContext = context.env.CONTEXT || "unknown";
  if (!inputs.contexts.includes(deployContext)) {
    const summary = `Nothing sent: ${deployContext} deploys do not send (inputs.contexts is ${inputs.contexts.join(", ")}).`;
    context.log(summary);
    utils.status.show({ title: TITLE, summary });
    return;
  }

  const dir = resolve(context.cwd, inputs.stateDir);
  const cached = CACHED_FILES.map((file) => join(dir, file));
  const restored = await utils.cache.restore(cached);
  context.log(
    restored ? "Restored state.json from the build cache" : "No state in the build cache yet",
  );

  const result = await sendAfterDeploy({
    dir,
    cwd: context.cwd,
    env: context.env,
    dryRun: inputs.dryRun,
    strict: inputs.strict,
    ...(inputs.concurrency === undefined ? {} : { concurrency: inputs.concurrency }),
    args: inputs.args,
    log: context.log,
    siteUrl: deployedSite(inputs.siteUrl, context.env),
    waitTimeoutSeconds: inputs.waitTimeoutSeconds,
  });
  if (result.status === "not-live") {
    utils.status.show({ title: TITLE, summary: escapeCell(result.message) });
    utils.build.failPlugin(result.message);
    return;
  }
  const { run, summary } = result;
  summary.notes.push(
    restored
      ? "State restored from Netlify's build cache."
      : "No state in Netlify's build cache yet.",
  );
  // Saved whenever it changed, even after a failed send: what was delivered stays recorded.
  if (run.stateChanged && !inputs.dryRun) await utils.cache.save(cached);
  utils.status.show({
    title: TITLE,
    summary: escapeCell(headline(summary)),
    text: renderMarkdown(summary, "static-pingback send"),
  });
  if (run.exitCode !== 0) {
    const why =
      run.exitCode === 3
        ? `${countOf(summary, "failed")} pairs failed and wait for a retry`
        : `send exited with ${run.exitCode}`;
    utils.build.failPlugin(`static-pingback: ${why}`);
  }
}
