import { StaticPingbackError } from "../errors/static-pingback-error.ts";

/** A send option out of range (concurrency, intervals, timeouts). */
export class InvalidSendOptionError extends StaticPingbackError {
  readonly code = "invalid-send-option";
}
