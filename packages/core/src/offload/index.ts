export {
  type BuildPage,
  type FinishPagesInput,
  finishPages,
  isUnchanged,
  isWorkerKept,
  type UnchangedBuildPage,
  type WorkerKeptPage,
} from "./finish-pages.ts";
export {
  type Batching,
  type FinishRequest,
  type FinishSummary,
  type PageAnswerResult,
  PageOffload,
  PageWorkerFailed,
  type UnchangedPageNote,
  type WorkerManifestSetup,
} from "./page-offload.ts";
