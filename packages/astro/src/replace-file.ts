import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Replaces a built page atomically: a temporary file beside it, then a rename, so a
 * reader (a dev server, a deploy step) sees the old page or the new one, never half.
 * No fsync: this is build output, rebuilt after a crash; flushing every page cost
 * more than processing it (core's writeFileAtomic, for state files, does flush).
 */
export async function replaceFile(file: string, text: string): Promise<void> {
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`,
  );
  try {
    await writeFile(temp, text, "utf8");
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
