export {
  type BuildPage,
  type FinishPagesInput,
  finishPages,
  isWorkerKept,
  type WorkerKeptPage,
} from "./finish-pages.ts";
export {
  type Batching,
  type FinishRequest,
  type FinishSummary,
  type PageAnswerResult,
  PageOffload,
  PageWorkerFailed,
  type WorkerManifestSetup,
} from "./page-offload.ts";
