export {
  BUILD_RECORD_FILE,
  type BuildRecord,
  buildRecordOf,
  type MatcherRecord,
  type RecordedOptions,
  readBuildRecord,
  restoreOptions,
  writeBuildRecord,
} from "./build-record.ts";
export {
  type ExplainedPage,
  type ExplainedPair,
  type ExplainOptions,
  type Explanation,
  explainBuild,
} from "./explain-build.ts";
export { findPageFile, pageFileCandidates } from "./page-file.ts";
export {
  type ExplainedLink,
  type ExplainedPageLinks,
  explainPageLinks,
  LINK_REASONS,
  type LinkReason,
} from "./page-links.ts";
