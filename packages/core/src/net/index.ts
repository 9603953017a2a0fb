export {
  type AddressVerdict,
  assertValidPolicy,
  classifyAddress,
  type PrivateNetworkPolicy,
  vetAddress,
} from "./address-policy.ts";
export {
  AbortedError,
  BlockedAddressError,
  findNetError,
  NetError,
  type NetErrorCode,
  NetworkError,
  RedirectLoopError,
  ResponseTooLargeError,
  TimeoutError,
  TooManyRedirectsError,
  UnsupportedContentTypeError,
  UnsupportedUrlError,
} from "./errors.ts";
export {
  createGuardedAgent,
  createGuardedLookup,
  type GuardedAgentOptions,
  type LookupFunction,
} from "./guarded-agent.ts";
export {
  checkFetchableUrl,
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  type HttpRequestOptions,
  type HttpResponse,
  mediaType,
} from "./http-client.ts";
export { defaultUserAgent, VERSION } from "./user-agent.ts";
