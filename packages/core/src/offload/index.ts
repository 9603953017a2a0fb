export {
  type Batching,
  type FinishRequest,
  type FinishSummary,
  type OffloadState,
  type PageAnswerResult,
  PageOffload,
  PageWorkerFailed,
  type UnchangedPageNote,
  type WorkerManifestSetup,
} from "./page-offload.ts";
