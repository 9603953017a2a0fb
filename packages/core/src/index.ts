export { StaticPingbackError } from "./errors/static-pingback-error.ts";
export { PingbackFileError } from "./files/file-error.ts";
export { isJsonObject } from "./files/is-json-object.ts";
export { formatJson, readJsonFile, writeFileAtomic, writeJsonFile } from "./files/json-file.ts";
export { assertMatchesSchema, loadSchema, type SchemaName } from "./files/schema-validator.ts";
export { type AssembledBuild, assembleBuild } from "./manifest/assemble-build.ts";
export {
  buildManifest,
  compareStrings,
  type ManifestPageInput,
} from "./manifest/build-manifest.ts";
export { diffManifests } from "./manifest/diff-manifests.ts";
export {
  type BuildSummary,
  type FinishBuildInput,
  type FinishBuildResult,
  finishBuild,
  formatBuildSummary,
  PUBLISHED_MANIFEST_FILE,
} from "./manifest/finish-build.ts";
export {
  MANIFEST_FILE,
  OUTBOX_FILE,
  readManifest,
  readOutbox,
  writeManifest,
  writeOutbox,
} from "./manifest/manifest-files.ts";
export {
  type PageCache,
  type PageCacheEntry,
  pageFingerprint,
} from "./manifest/page-cache.ts";
export { PAGE_CACHE_FILE, readPageCache } from "./manifest/page-cache-file.ts";
export { type PreparedPage, preparePage } from "./manifest/prepared-page.ts";
export { loadPreviousManifest, type PreviousManifest } from "./manifest/previous-manifest.ts";
export type { LinkPair, Manifest, ManifestPage, Outbox } from "./manifest/types.ts";
export {
  type AdapterOptions,
  type AdapterOptionsSetup,
  resolveAdapterOptions,
} from "./options/adapter-options.ts";
export {
  BUILD_OPTION_NAMES,
  type BuildOptions,
  booleanOption,
  positiveIntegerOption,
  type ResolvedBuildOptions,
  resolveBuildOptions,
} from "./options/build-options.ts";
export {
  advertisedEndpointsNote,
  receiverEndpoints,
  webmentionIoEndpoints,
} from "./options/default-endpoint.ts";
export { editDistance, nearestName, rejectUnknownOptions } from "./options/known-options.ts";
export { PingbackOptionsError } from "./options/options-error.ts";
export {
  DEFAULT_CONTENT_SELECTOR,
  DEFAULT_EXCLUDED_PAGES,
  DEFAULT_STATE_DIR,
  resolveOptions,
  SHARED_OPTION_NAMES,
} from "./options/resolve-options.ts";
export type { PingbackOptions, ResolvedOptions, UrlMatcher } from "./options/types.ts";
export { globToRegExp, matchesAny } from "./options/url-matcher.ts";
export { fastPathDeclineReason } from "./page/fast/fast-page.ts";
export {
  type EndpointRel,
  elementsText,
  expandSpecEntities,
  type HeadLinkElement,
  headLinkElements,
  PINGBACK_LINK_PATTERN,
  pingbackLinkElement,
  webmentionLinkElement,
} from "./page/link-element.ts";
export { linksOutsideArticle } from "./page/outside-article.ts";
export { isPageEnabled } from "./page/page-enabled.ts";
export {
  applyInsertion,
  predictInsertion,
  removeInsertion,
  sameInsertion,
} from "./page/predict-insertion.ts";
export { processPage } from "./page/process-page.ts";
export { processPageReference } from "./page/reference/load-reference.ts";
export type { PageResult } from "./page/types.ts";
export { cleanLine, cleanText, stripInvisible, truncate } from "./text/clean-text.ts";
