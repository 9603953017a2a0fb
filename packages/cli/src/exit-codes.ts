/** The documented exit codes of `static-pingback`. */
export const EXIT = {
  /** The run completed, whatever the targets answered. */
  ok: 0,
  /** Input or state error: missing or corrupt files, a locked state directory, a bad URL. */
  error: 1,
  /** Usage error: unknown command or option, bad option value. */
  usage: 2,
  /** With --strict: transient failures remain to be retried by a later run. */
  transient: 3,
  /** Interrupted (Ctrl-C / SIGINT). */
  interrupted: 130,
} as const;

/** What each exit code means for each command; the program's own help lists them all. */
const MEANINGS: Record<string, Partial<Record<number, string>>> = {
  send: {
    0: "the run completed, whatever the targets answered",
    1: "input or state error (missing/corrupt files, locked state dir)",
    3: "with --strict: transient failures remain",
    130: "interrupted",
  },
  status: { 0: "the state was read (or there is none yet)", 1: "corrupt state file" },
  explain: {
    0: "explained",
    1: "no manifest, a corrupt state or build file, or a page the build does not know",
  },
  discover: { 0: "the target was fetched (endpoint or not)", 1: "the target could not be fetched" },
  ping: { 0: "the pingback was attempted, whatever the answer" },
  serve: {
    0: "stopped by SIGINT/SIGTERM",
    1: "bad options, unreadable manifest or database, cannot listen",
  },
  moderate: { 0: "done", 1: "no database, or an id that does not exist" },
  import: { 0: "imported", 1: "the file or the API could not be read (what was imported stays)" },
};

const ALL = `
Exit codes:
  0    the run completed, whatever the targets answered
  1    input or state error (missing/corrupt files, locked state dir, bad URL)
  2    usage error
  3    with --strict: transient failures remain (send)
  130  interrupted`;

/** The "Exit codes:" help section of `command` (undefined: the whole program's). */
export function exitCodesHelp(command?: string): string {
  const meanings = command === undefined ? undefined : MEANINGS[command];
  if (!meanings) return ALL;
  const lines = Object.entries({ ...meanings, 2: "usage error" })
    .map(([code, text]) => [Number(code), text] as const)
    .sort(([a], [b]) => a - b)
    .map(([code, text]) => `  ${String(code).padEnd(4)} ${text}`);
  return `\nExit codes:\n${lines.join("\n")}`;
}
