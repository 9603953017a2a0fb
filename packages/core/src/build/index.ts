export {
  elementsText,
  type HeadLinkElement,
  headLinkElements,
} from "../page/link-element.ts";
export type { BuildPage } from "./build-page.ts";
export {
  type BuildOutcome,
  type BuildRun,
  BuildSession,
  type BuildSessionSetup,
  type PageInput,
  type TransformedPageInput,
  WATCH_RECORDS_DIR,
  type WrittenPageInput,
} from "./build-session.ts";
export { type FinishPagesInput, finishPages } from "./finish-pages.ts";
export {
  type HandedOutPage,
  type PageAnswer,
  processWritten,
  type SettledPage,
  settlePage,
} from "./handed-out-page.ts";
export { prerenderedResponse } from "./prerendered-response.ts";
export { handWrittenFiles, type WrittenPageFiles } from "./written-files.ts";
