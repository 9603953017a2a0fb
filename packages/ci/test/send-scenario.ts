import { type PeerSite, writeSiteFiles } from "../../core/test/send/peers.ts";

/** Flags `send` needs against loopback peers: private addresses allowed, no host pause. */
export const LOOPBACK_SEND_ARGS = ["--allow-private", "--host-interval", "0", "--retries", "0"];

/** A fault string as hostile as a peer can make it: bidi override, HTML, a cell break, a link. */
export const HOSTILE_FAULT =
  "The source \u202Edoes not link\u202C to <b>the target</b> | see http://evil.example/ and www.evil.example\u009B";

/**
 * The peer answers by target path: /ok accepts, /rejected gives fault 17 with a hostile
 * message, /flaky gives fault 0 (transient: a retry later), /plain has no endpoint.
 */
export function answerByPath(site: PeerSite): void {
  site.answer = (_source, target) => {
    const path = new URL(target).pathname;
    if (path === "/rejected") return { fault: 17, message: HOSTILE_FAULT };
    if (path === "/flaky") return { fault: 0, message: "try later" };
    return { ok: "Thanks!" };
  };
}

export const OLD_PAGE = "https://me.example/old/";
export const NEW_PAGE = "https://me.example/new/";

/** First build: one existing link (a first run records it as baseline). */
export async function writeFirstBuild(site: PeerSite, dir?: string): Promise<string> {
  return writeSiteFiles(
    { [OLD_PAGE]: [site.page("/old")] },
    dir === undefined ? { previous: null } : { dir, previous: null },
  );
}

/** Second build: a new page linking to one target of each kind. */
export async function writeSecondBuild(site: PeerSite, dir: string): Promise<void> {
  const targets = ["/ok", "/rejected", "/flaky", "/plain"].map((path) => site.page(path));
  await writeSiteFiles(
    { [OLD_PAGE]: [site.page("/old")], [NEW_PAGE]: targets },
    {
      dir,
      previous: "2026-01-01T00:00:00.000Z",
      added: targets.map((target) => ({ source: NEW_PAGE, target })),
    },
  );
}
