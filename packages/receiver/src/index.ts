export { type AdminOptions, MIN_ADMIN_TOKEN_LENGTH } from "./admin/admin-options.ts";
export { ADMIN_HEADERS } from "./admin/security-headers.ts";
export { type Jf2ExportEntry, type Jf2Feed, toJf2Entry, toJf2Feed } from "./export/jf2.ts";
export { hostPattern } from "./hosts/host-pattern.ts";
export { HostRules, type HostRulesOptions } from "./hosts/host-rules.ts";
export { loadBlocklist, parseBlocklist } from "./hosts/shared-blocklist.ts";
export type { ReceiverRequest, ReceiverResponse } from "./http/types.ts";
export {
  type ImportResult,
  importEntries,
  mentionFromEntry,
} from "./import/jf2-import.ts";
export {
  fetchWebmentionIo,
  IMPORT_LIMITS,
  ImportError,
  readJf2File,
  WEBMENTION_IO_API,
} from "./import/webmention-io.ts";
export { ConcurrencyGate } from "./limits/concurrency-gate.ts";
export { type BucketRule, TokenBuckets } from "./limits/token-buckets.ts";
export { assertManifest, ManifestLoadError, ManifestSource } from "./manifest/manifest-source.ts";
export { SiteIndex, type TargetLookup } from "./manifest/site-index.ts";
export {
  ACTION_DONE,
  MODERATION_HEADER,
  type ModerationAction,
  type ModerationResult,
  moderate,
  moderationRows,
  parseIds,
} from "./moderation.ts";
export {
  forwardedAddress,
  type NodeServerOptions,
  type RunningServer,
  startNodeServer,
} from "./node-server.ts";
export {
  PendingWebhook,
  SIGNATURE_HEADER,
  signBody,
  type WebhookConfig,
  type WebhookMention,
} from "./notify/pending-webhook.ts";
export {
  type ReceiverEvent,
  type ReceiverOptions,
  ReceiverOptionsError,
  resolveReceiverOptions,
} from "./options.ts";
export type { FetchOutcome, SourceFetcher } from "./ping/fetch-source.ts";
export { RebuildHook } from "./rebuild-hook.ts";
export { createReceiver, type Receiver, type RequestContext } from "./receiver.ts";
export {
  closeOnSignals,
  jsonLineLogger,
  type ServeHandle,
  type ServeOptions,
  serve,
} from "./serve.ts";
export { SqlitePingbackStore, type SqliteStoreOptions } from "./store/sqlite-store.ts";
export * from "./store/types.ts";
export { checkUri, normaliseUri, pageUrlVariants } from "./uri.ts";
export { checkSource, type FetchedSource } from "./verify/check-source.ts";
