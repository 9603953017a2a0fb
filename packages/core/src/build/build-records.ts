import { readManifest } from "../manifest/manifest-files.ts";
import type { BuildPage } from "./build-page.ts";

/**
 * The pages of the manifest, kept across the builds of one process. A full build starts
 * from nothing; an incremental build re-renders only some pages, so the others keep
 * their entry (from the previous build, or from manifest.json on disk when this process
 * has not built them yet), and the manifest stays complete.
 */
export class BuildRecords {
  #pages = new Map<string, BuildPage>();
  #loadedFromDisk = false;

  /** Call at the start of each build. Returns a warning when the old manifest could not be read. */
  async startBuild(
    incremental: boolean,
    stateDir: string,
    site: string,
  ): Promise<string | undefined> {
    if (!incremental) {
      this.#pages.clear();
      this.#loadedFromDisk = true; // a full build knows every page itself
      return undefined;
    }
    if (this.#loadedFromDisk) return undefined;
    this.#loadedFromDisk = true;
    try {
      const manifest = await readManifest(stateDir);
      if (!manifest || manifest.site !== site) return undefined;
      for (const [url, page] of Object.entries(manifest.pages)) {
        if (!this.#pages.has(url)) this.#pages.set(url, { kind: "links", url, ...page });
      }
      return undefined;
    } catch (error) {
      return `incremental build: could not read the previous manifest (${(error as Error).message}); pages not rebuilt now will be missing from it`;
    }
  }

  record(page: BuildPage): void {
    this.#pages.set(page.url, page);
  }

  forget(url: string): void {
    this.#pages.delete(url);
  }

  values(): IterableIterator<BuildPage> {
    return this.#pages.values();
  }
}
