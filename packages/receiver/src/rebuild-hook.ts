/**
 * POSTs a URL (a Netlify/Vercel/CI build hook) when pingbacks are approved,
 * debounced: a burst of approvals makes one rebuild, `debounceMs` after the last.
 */
export class RebuildHook {
  readonly #url: string;
  readonly #debounceMs: number;
  readonly #onError: (error: Error) => void;
  #timer: NodeJS.Timeout | undefined;
  #pending: Promise<void> | undefined;

  constructor(url: string, debounceMs: number, onError: (error: Error) => void = () => {}) {
    this.#url = url;
    this.#debounceMs = debounceMs;
    this.#onError = onError;
  }

  trigger(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#pending = this.fire();
    }, this.#debounceMs);
    this.#timer.unref();
  }

  /** Posts now (also used by the moderation CLI, which does not wait for a debounce). */
  async fire(): Promise<void> {
    try {
      const response = await fetch(this.#url, {
        method: "POST",
        signal: AbortSignal.timeout(10_000),
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ reason: "pingback approved" }),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`rebuild hook answered HTTP ${response.status}`);
    } catch (error) {
      this.#onError(error as Error);
    }
  }

  /** Sends a pending debounced call at once (graceful shutdown), then stops. */
  async flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      await this.fire();
    }
    await this.#pending;
  }
}
