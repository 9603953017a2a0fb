import { StaticPingbackError } from "../errors/static-pingback-error.ts";
/**
 * An input file (manifest, outbox, state, received data) that cannot be used.
 * It names the file, the place inside it (a JSON Pointer) and what was expected,
 * so a user can fix it by hand; the file itself is left untouched.
 */
export class PingbackFileError extends StaticPingbackError {
  readonly code = "invalid-file";
  readonly file: string;
  readonly pointer: string;
  readonly expected: string;

  constructor(file: string, pointer: string, expected: string, options?: { cause?: unknown }) {
    const where = pointer === "" ? "" : ` at ${pointer}`;
    super(`${file}${where}: ${expected}`, options);
    this.name = "PingbackFileError";
    this.file = file;
    this.pointer = pointer;
    this.expected = expected;
  }
}
