export type BodyRead =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; reason: "too-large" | "too-slow" };

/**
 * Reads a request body into memory, refusing it past `maxBytes` or when it has
 * not fully arrived within `deadlineMs` (a slow-drip client holds nothing but
 * one timer). The iterator is closed either way.
 */
export async function readBodyCapped(
  body: AsyncIterable<Uint8Array> | null,
  maxBytes: number,
  deadlineMs: number,
): Promise<BodyRead> {
  if (!body) return { ok: true, bytes: new Uint8Array(0) };
  const iterator = body[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), deadlineMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), late]);
      if (next === "late") return { ok: false, reason: "too-slow" };
      if (next.done) {
        finished = true;
        break;
      }
      total += next.value.byteLength;
      if (total > maxBytes) return { ok: false, reason: "too-large" };
      chunks.push(next.value);
    }
  } finally {
    clearTimeout(timer);
    // Stopped early: tell the source we will not read the rest.
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => {});
  }
  return { ok: true, bytes: Buffer.concat(chunks, total) };
}
