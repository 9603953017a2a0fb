export {
  type Batching,
  type FinishRequest,
  type FinishSummary,
  type PageAnswerResult,
  PageOffload,
  PageWorkerFailed,
  type WorkerManifestSetup,
} from "./page-offload.ts";
