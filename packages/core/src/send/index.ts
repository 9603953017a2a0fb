export {
  checkSourceLinks,
  fetchSourceForCheck,
  SOURCE_CHECK_BYTES,
  type SourceFetch,
} from "./check-source.ts";
export {
  type Classification,
  classifyDiscovery,
  classifyFault,
  classifyHttpStatus,
  classifyNetError,
  classifyResponse,
  classifyUnparsable,
  WORDPRESS_FLOOD_FAULT,
} from "./classify.ts";
export {
  checkEndpoint,
  DEFAULT_DISCOVERY_BYTES,
  type DiscoveryOptions,
  type DiscoveryResult,
  discoverEndpoint,
  discoverFromResponse,
  expandPingbackEntities,
  FOUND_IN_WORDS,
  type FoundIn,
  findPingbackLink,
  type Protocol,
} from "./discover.ts";
export { type EngineOptions, nextEntry, runEngine, type SettledPair } from "./engine.ts";
export { InvalidSendOptionError } from "./invalid-send-option.ts";
export {
  type LinkValue,
  linkHeaderValues,
  parseLinkHeader,
  relationTypes,
} from "./link-header.ts";
export {
  DEFAULT_PING_RESPONSE_BYTES,
  type PingOptions,
  type PingResult,
  sendPing,
} from "./ping.ts";
export {
  candidatePairs,
  type PairDecision,
  type PairReason,
  type PlanInput,
  type PlannedPair,
  planSend,
  type SendPlan,
} from "./plan.ts";
export {
  type JobSpec,
  PoliteScheduler,
  SchedulerStoppedError,
  type SchedulerWait,
} from "./scheduler.ts";
export {
  countByStatus,
  NothingToSendError,
  resolveEngineOptions,
  type SendOptions,
  type SendReport,
  sendPingbacks,
} from "./send.ts";
export { InvalidStateEntryError, stateEntryProblem } from "./state-entry-check.ts";
export {
  type JournalContents,
  JournalWriter,
  readJournal,
  type SkippedLine,
} from "./state-journal.ts";
export { StateLockedError } from "./state-lock.ts";
export {
  type ReadStateOptions,
  readState,
  StateStore,
  type StateStoreOptions,
} from "./state-store.ts";
export {
  JOURNAL_FILE,
  LOCK_FILE,
  PAIR_STATUSES,
  type PairChange,
  type PairGone,
  type PairStatus,
  pairKey,
  SKIPPED_LINES_FILE,
  STATE_FILE,
  STATE_VERSION,
  type StateEntry,
  type StateFile,
  toStateFile,
} from "./state-types.ts";
export {
  findWebmentionEndpoint,
  findWebmentionEndpointInResponse,
  WEBMENTION_HTML_CHARS,
  type WebmentionDiscoveryInput,
  type WebmentionEndpoint,
  type WebmentionFoundIn,
} from "./webmention-endpoint.ts";
export {
  classifyWebmentionAnswer,
  DEFAULT_WEBMENTION_RESPONSE_BYTES,
  sendWebmention,
  type WebmentionResult,
  type WebmentionSendOptions,
  webmentionBody,
} from "./webmention-send.ts";
