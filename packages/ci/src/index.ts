// For the Netlify plugin, which builds on this package rather than on core directly.
export { DEFAULT_STATE_DIR, StaticPingbackError } from "@static-pingback/core";
export {
  BOT_EMAIL,
  BOT_NAME,
  COMMIT_MESSAGE,
  type CommitStateOptions,
  type CommitStateResult,
  commitState,
} from "./github/commit-state.ts";
export {
  ActionInputError,
  type ActionInputs,
  readActionInputs,
  type StatePersistence,
} from "./github/inputs.ts";
export { type ActionContext, runAction } from "./github/run-action.ts";
export { annotation, escapeData, escapeProperty } from "./github/workflow-commands.ts";
export {
  type DeployedManifestInput,
  deployedManifestUrl,
  ManifestUrlError,
} from "./manifest-url.ts";
export {
  cliBinPath,
  type RunSendOptions,
  runSend,
  type SendRun,
  sendArguments,
} from "./run-send.ts";
export {
  type SendAfterDeployOptions,
  type SendAfterDeployResult,
  sendAfterDeploy,
} from "./send-after-deploy.ts";
export { parseSendReport, type SendJsonReport, SendReportError } from "./send-report.ts";
export { type StateSnapshot, snapshotState, stateChanged } from "./state-snapshot.ts";
export { buildRunSummary } from "./summary/build-summary.ts";
export { cleanLine, displayTime } from "./summary/clean.ts";
export { HELD_PAGES_LIMIT, type HeldAtBuild, heldAtBuild } from "./summary/held-at-build.ts";
export {
  codeCell,
  escapeCell,
  headline,
  MAX_TABLE_ROWS,
  renderMarkdown,
} from "./summary/markdown.ts";
export {
  countOf,
  countOutcomes,
  type HeldLink,
  OUTCOME_ORDER,
  type Outcome,
  type Protocol,
  type RunSummary,
  type SummaryPair,
} from "./summary/model.ts";
export { answerOf, reasonFor } from "./summary/reasons.ts";
export { type WaitOptions, type WaitResult, waitForDeployedManifest } from "./wait-for-manifest.ts";
