import { isJsonObject } from "../files/is-json-object.ts";
import { rejectUnknownOptions } from "../options/known-options.ts";
import { PingbackOptionsError } from "../options/options-error.ts";
import type { RenderOptions } from "./render.ts";

/** Every key of RenderOptions, for the unknown-option message. */
const RENDER_OPTION_NAMES = [
  "heading",
  "headingLevel",
  "emptyText",
  "maxTitleLength",
  "maxNameLength",
  "maxEntries",
  "lang",
  "byText",
  "onText",
  "formatDate",
  "groupHeadings",
  "repliedText",
  "maxExcerptLength",
  "avatars",
] as const satisfies readonly (keyof RenderOptions)[];

const TEXT_OPTIONS = ["heading", "emptyText", "lang", "byText", "onText", "repliedText"] as const;
const COUNT_OPTIONS = [
  "headingLevel",
  "maxTitleLength",
  "maxNameLength",
  "maxEntries",
  "maxExcerptLength",
] as const;
const GROUP_NAMES = ["replies", "likes", "reposts", "mentions"] as const;

/**
 * Validates markup defaults given as an adapter option (`option`, default "render");
 * errors name the option and the key, such as `render.headingLevel`. Undefined gives {}.
 */
export function resolveRenderOptions(
  value: unknown,
  packageName: string,
  option = "render",
): RenderOptions {
  const fail = (key: string, problem: string): never => {
    throw new PingbackOptionsError(packageName, key === "" ? option : `${option}.${key}`, problem);
  };
  if (value === undefined) return {};
  if (!isJsonObject(value)) {
    return fail("", "must be an object { heading?, headingLevel?, emptyText?, … }");
  }
  rejectUnknownOptions(value, RENDER_OPTION_NAMES, packageName, option);
  for (const key of TEXT_OPTIONS) {
    if (value[key] !== undefined && typeof value[key] !== "string") fail(key, "must be a string");
  }
  if (typeof value.lang === "string") {
    try {
      Intl.getCanonicalLocales(value.lang);
    } catch {
      fail("lang", `must be a language tag such as "en" or "de-CH", got "${value.lang}"`);
    }
  }
  for (const key of COUNT_OPTIONS) {
    const n = value[key];
    if (n !== undefined && !(typeof n === "number" && Number.isInteger(n) && n > 0)) {
      fail(key, "must be a positive integer");
    }
  }
  const level = value.headingLevel as number | undefined;
  if (level !== undefined && (level < 2 || level > 6)) fail("headingLevel", "must be 2 to 6");
  if (value.formatDate !== undefined && typeof value.formatDate !== "function") {
    fail("formatDate", "must be a function (date: Date) => string");
  }
  const { groupHeadings, avatars } = value;
  if (groupHeadings !== undefined) {
    if (!isJsonObject(groupHeadings)) fail("groupHeadings", "must be an object { replies?, … }");
    rejectUnknownOptions(
      groupHeadings as Record<string, unknown>,
      GROUP_NAMES,
      packageName,
      `${option}.groupHeadings`,
    );
    for (const name of GROUP_NAMES) {
      const text = (groupHeadings as Record<string, unknown>)[name];
      if (text !== undefined && typeof text !== "string") {
        fail(`groupHeadings.${name}`, "must be a string");
      }
    }
  }
  if (avatars !== undefined && typeof avatars !== "boolean" && typeof avatars !== "function") {
    fail("avatars", "must be true, false or a function (photoUrl: string) => string | null");
  }
  return value as RenderOptions;
}
