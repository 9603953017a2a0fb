import { readFile, stat } from "node:fs/promises";
import { StaticPingbackError } from "@static-pingback/core";

export interface Secret {
  value: string;
  /** Set when the file can be read by other users of the machine. */
  warning?: string;
}

/**
 * A secret from a file (its first line, trimmed) or, without one, from an environment
 * variable; undefined when neither is given. Files keep secrets out of the process list
 * and shell history, which a flag's value would not.
 */
export async function readSecret(
  file: string | undefined,
  env: Record<string, string | undefined>,
  variable: string,
  what: string,
): Promise<Secret | undefined> {
  if (file === undefined) {
    const value = env[variable]?.trim();
    return value ? { value } : undefined;
  }
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new SecretFileError(`cannot read the ${what} file ${file}: ${(error as Error).message}`);
  }
  const value = text.split(/\r?\n/)[0]?.trim() ?? "";
  if (value === "") throw new SecretFileError(`the ${what} file ${file} is empty`);
  const mode = (await stat(file)).mode;
  return mode & 0o077
    ? { value, warning: `the ${what} file ${file} can be read by other users (chmod 600 it)` }
    : { value };
}

export class SecretFileError extends StaticPingbackError {
  readonly code = "ERR_SECRET_FILE";
  constructor(message: string) {
    super(message);
    this.name = "SecretFileError";
  }
}
