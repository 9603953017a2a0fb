export { ConcurrencyGate } from "./limits/concurrency-gate.ts";
export { type BucketRule, TokenBuckets } from "./limits/token-buckets.ts";
export { assertManifest, ManifestLoadError, ManifestSource } from "./manifest/manifest-source.ts";
export { SiteIndex, type TargetLookup } from "./manifest/site-index.ts";
export { SqlitePingbackStore, type SqliteStoreOptions } from "./store/sqlite-store.ts";
export * from "./store/types.ts";
export { checkUri, normaliseUri, pageUrlVariants } from "./uri.ts";
export { checkSource, type FetchedSource } from "./verify/check-source.ts";
