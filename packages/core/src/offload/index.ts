export { type PageAnswerResult, PageOffload, PageWorkerFailed } from "./page-offload.ts";
