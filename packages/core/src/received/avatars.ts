import { createHash } from "node:crypto";
import { copyFile, mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ReceivedEntry } from "./types.ts";

/** The folder of the site's output that holds the authors' photos the build saved. */
export const AVATAR_DIR = "_pingback-avatars";

/** `received.avatars`, resolved. */
export interface AvatarOptions {
  /** Largest photo kept, in bytes; a larger one is not shown. */
  maxBytes: number;
  /** Most photos fetched per build (the rest are not shown). */
  maxCount: number;
  /** Per photo. */
  timeoutMs: number;
  /** Fetch from private addresses too (a test, a LAN). Photo URLs are strangers': off by default. */
  allowPrivateNetworks: boolean;
}

/**
 * Image types kept, each with the bytes its files start with. SVG is left out on
 * purpose: it is a document that can carry script.
 */
const IMAGE_TYPES: Record<string, { extension: string; magic: (bytes: Buffer) => boolean }> = {
  "image/png": { extension: "png", magic: (b) => b.subarray(0, 8).equals(PNG) },
  "image/jpeg": { extension: "jpg", magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  "image/gif": {
    extension: "gif",
    magic: (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString("latin1")),
  },
  "image/webp": {
    extension: "webp",
    magic: (b) =>
      b.subarray(0, 4).toString("latin1") === "RIFF" &&
      b.subarray(8, 12).toString("latin1") === "WEBP",
  },
  "image/avif": {
    extension: "avif",
    magic: (b) => b.subarray(4, 12).toString("latin1") === "ftypavif",
  },
};
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface SavedAvatars {
  /** The entries, each author whose photo was saved given its `avatar` path. */
  entries: ReceivedEntry[];
  /** File names saved (in the cache's avatar folder), to copy into the output. */
  files: string[];
  warnings: string[];
}

/**
 * Saves the authors' photos at build time, so readers' browsers never ask a third
 * party for them: each distinct photo URL is fetched once through core's guarded
 * client (no private addresses, a time and byte cap, an image type checked against
 * the file's first bytes), kept in `cacheDir` under a name made from the URL, and
 * later copied into the site's output by `copyAvatars`. An author whose photo could
 * not be saved gets no avatar; the build goes on. `base` is the site's base path
 * ("/" or "/blog/"): the entries' `avatar` is `${base}_pingback-avatars/<file>`.
 */
export async function saveAvatars(
  entries: readonly ReceivedEntry[],
  cacheDir: string,
  base: string,
  options: AvatarOptions,
): Promise<SavedAvatars> {
  const folder = join(cacheDir, AVATAR_DIR);
  const photos = [...new Set(entries.flatMap((entry) => entry.author?.photo ?? []))];
  const warnings: string[] = [];
  if (photos.length > options.maxCount) {
    warnings.push(
      `${photos.length} author photos, saving the first ${options.maxCount} (received.avatars.maxCount)`,
    );
  }
  const wanted = photos.slice(0, options.maxCount);
  if (wanted.length === 0) return { entries: [...entries], files: [], warnings };
  await mkdir(folder, { recursive: true });
  const cached = new Map<string, string>();
  for (const name of await readdir(folder)) cached.set(name.replace(/\.[a-z]+$/, ""), name);

  const { createHttpClient } = await import("../net/http-client.ts");
  const client = createHttpClient({
    allowPrivateNetworks: options.allowPrivateNetworks,
    userAgentExtra: "avatars",
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes,
    maxDecodedBytes: options.maxBytes,
    maxRedirects: 3,
  });
  const saved = new Map<string, string>();
  try {
    // A few at a time: photos are many small files on many hosts.
    const queue = [...wanted];
    const worker = async () => {
      for (let photo = queue.shift(); photo !== undefined; photo = queue.shift()) {
        const key = createHash("sha1").update(photo).digest("hex");
        const known = cached.get(key);
        if (known) {
          saved.set(photo, known);
          continue;
        }
        try {
          const response = await client.request(photo, {
            headers: { accept: Object.keys(IMAGE_TYPES).join(", ") },
            shouldReadBody: (status, contentType) => status === 200 && contentType in IMAGE_TYPES,
          });
          const type = IMAGE_TYPES[response.contentType];
          if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
          if (!type) {
            throw new Error(
              `content type "${response.contentType || "(none)"}" is not one kept (PNG, JPEG, GIF, WebP, AVIF)`,
            );
          }
          if (!type.magic(response.body)) throw new Error("not the image its content type says");
          const name = `${key}.${type.extension}`;
          await writeFile(join(folder, name), response.body);
          saved.set(photo, name);
        } catch (error) {
          warnings.push(`author photo ${photo} not saved: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
  } finally {
    await client.close();
  }
  const prefix = `${base.endsWith("/") ? base : `${base}/`}${AVATAR_DIR}/`;
  return {
    entries: entries.map((entry) => {
      const name = entry.author?.photo ? saved.get(entry.author.photo) : undefined;
      return name && entry.author
        ? { ...entry, author: { ...entry.author, avatar: `${prefix}${name}` } }
        : entry;
    }),
    files: [...new Set(saved.values())],
    warnings,
  };
}

/** Copies the saved photos into `outputDir`'s avatar folder. */
export async function copyAvatars(
  files: readonly string[],
  cacheDir: string,
  outputDir: string,
): Promise<void> {
  if (files.length === 0) return;
  const target = join(outputDir, AVATAR_DIR);
  await mkdir(target, { recursive: true });
  await Promise.all(
    files.map((name) => copyFile(join(cacheDir, AVATAR_DIR, name), join(target, name))),
  );
}
