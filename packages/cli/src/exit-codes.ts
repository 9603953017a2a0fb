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

export const EXIT_CODES_HELP = `
Exit codes:
  0    the run completed, whatever the targets answered
  1    input or state error (missing/corrupt files, locked state dir, bad URL)
  2    usage error
  3    with --strict: transient failures remain (send)
  130  interrupted`;
