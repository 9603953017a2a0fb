import { resolve } from "node:path";
import { sendAfterDeploy } from "../send-after-deploy.ts";
import { cleanLine } from "../summary/clean.ts";
import { escapeCell, renderMarkdown } from "../summary/markdown.ts";
import { countOf, type RunSummary } from "../summary/model.ts";
import { commitState } from "./commit-state.ts";
import { type ActionInputs, readActionInputs } from "./inputs.ts";
import { annotation, appendStepSummary, writeOutputs } from "./workflow-commands.ts";

export interface ActionContext {
  /** The step's environment: INPUT_*, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, GITHUB_REF_NAME… */
  env: NodeJS.ProcessEnv;
  /** The workspace (the runner starts the step there). */
  cwd: string;
  /** The step's log: plain lines and workflow commands. */
  log: (line: string) => void;
}

const ANNOTATION_LIMIT = 10;

function rejectedAnnotations(summary: RunSummary): string[] {
  const rejected = summary.pairs.filter((pair) => pair.outcome === "rejected");
  const lines = rejected
    .slice(0, ANNOTATION_LIMIT)
    .map((pair) =>
      annotation(
        "warning",
        `${cleanLine(pair.source, 300)} -> ${cleanLine(pair.target, 300)}: ${pair.reason ?? "rejected"}`,
        "Pingback rejected",
      ),
    );
  if (rejected.length > ANNOTATION_LIMIT) {
    lines.push(
      annotation(
        "warning",
        `${rejected.length - ANNOTATION_LIMIT} more rejected pairs: see the job summary`,
      ),
    );
  }
  return lines;
}

/** The branch a `state: commit` push goes to: the input, else the branch of the run. */
function commitBranch(inputs: ActionInputs, env: NodeJS.ProcessEnv): string | undefined {
  return inputs.commitBranch ?? (env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || undefined);
}

async function finishWith(
  context: ActionContext,
  markdown: string,
  outputs: { sent: number; failed: number; stateChanged: boolean },
): Promise<void> {
  await appendStepSummary(context.env.GITHUB_STEP_SUMMARY, markdown);
  await writeOutputs(context.env.GITHUB_OUTPUT, {
    sent: outputs.sent,
    failed: outputs.failed,
    "state-changed": outputs.stateChanged,
  });
}

/**
 * The action's entry point, as the runner runs it: inputs from `INPUT_*`, the summary
 * appended to `$GITHUB_STEP_SUMMARY`, outputs to `$GITHUB_OUTPUT`, annotations on the
 * log. Waits for the deployed manifest, runs send, persists state as asked.
 * Returns the step's exit code.
 */
export async function runAction(context: ActionContext): Promise<number> {
  const { env, log } = context;
  let inputs: ActionInputs;
  try {
    inputs = readActionInputs(env);
  } catch (error) {
    log(annotation("error", (error as Error).message, "static-pingback"));
    return 1;
  }
  const dir = resolve(context.cwd, inputs.stateDir);
  const result = await sendAfterDeploy({
    dir,
    cwd: context.cwd,
    env,
    dryRun: inputs.dryRun,
    strict: inputs.strict,
    ...(inputs.concurrency === undefined ? {} : { concurrency: inputs.concurrency }),
    args: inputs.args,
    log,
    siteUrl: inputs.siteUrl,
    manifestUrl: inputs.manifestUrl,
    waitTimeoutSeconds: inputs.waitTimeoutSeconds,
  });
  if (result.status === "not-live") {
    log(annotation("error", result.message, "static-pingback: deploy not live"));
    await finishWith(context, `### static-pingback send\n\n${escapeCell(result.message)}\n`, {
      sent: 0,
      failed: 0,
      stateChanged: false,
    });
    return 1;
  }
  const { run, summary } = result;
  for (const line of rejectedAnnotations(summary)) log(line);

  let exitCode = run.exitCode;
  if (inputs.state === "commit" && run.stateChanged && !inputs.dryRun) {
    const branch = commitBranch(inputs, env);
    try {
      if (!branch) throw new Error("no branch to push to: set the commit-branch input");
      const result = await commitState({ cwd: context.cwd, stateDir: dir, branch });
      summary.notes.push(
        result.committed
          ? `State committed to ${branch} (${result.commit.slice(0, 12)}).`
          : `State not committed: ${result.reason}.`,
      );
    } catch (error) {
      const message = `Committing state.json failed: ${cleanLine((error as Error).message, 600)}`;
      log(annotation("error", message, "static-pingback"));
      summary.notes.push(message);
      exitCode = exitCode === 0 ? 1 : exitCode;
    }
  }
  await finishWith(context, renderMarkdown(summary), {
    sent: countOf(summary, "sent"),
    failed: countOf(summary, "failed", "rejected"),
    stateChanged: run.stateChanged,
  });
  return exitCode;
}
