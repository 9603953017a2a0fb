import { DEFAULT_STATE_DIR } from "@static-pingback/core";
import { InvalidArgumentError } from "commander";

/** The receiver's database beside the sender's state: serve, moderate and import share it. */
export const DEFAULT_DATABASE = `${DEFAULT_STATE_DIR}/received.db`;

/** Parses a positive integer option, for commander. */
export function integerOption(min: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
      throw new InvalidArgumentError(`expected an integer >= ${min}`);
    }
    return Number(value);
  };
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** Parses a duration: "500ms", "16s", "2m", or a bare number of milliseconds. */
export function durationOption(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected a duration such as "500ms", "16s" or "1m"');
  return Math.round(Number(match[1]) * (UNITS[match[2] ?? "ms"] ?? 1));
}

/** Parses an absolute http(s) URL argument. */
export function urlArgument(value: string): string {
  try {
    const url = new URL(value);
    // The URL is used as given: a pingback names the exact URL the source links to.
    if (url.protocol === "http:" || url.protocol === "https:") return value;
  } catch {
    // fall through
  }
  throw new InvalidArgumentError("expected an absolute http(s) URL");
}
