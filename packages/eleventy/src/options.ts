import {
  type BuildOptions,
  booleanOption,
  type PingbackOptions,
  type ResolvedBuildOptions,
  type ResolvedOptions,
  resolveAdapterOptions,
} from "@static-pingback/core";
import {
  type ReceivedOption,
  type RenderOptions,
  type ResolvedReceived,
  resolveRenderOptions,
} from "@static-pingback/core/received";
import { PACKAGE_NAME } from "./log.ts";

/** The plugin's options: the shared and build ones (see @static-pingback/core) and these. */
export interface EleventyPingbackOptions extends PingbackOptions, BuildOptions {
  /** Received pingbacks to render: a JF2 file, a JF2 URL, "webmention.io", or the object form. */
  received?: ReceivedOption;
  /** Defaults for the `pingbacks` shortcode's markup (heading, emptyText, …). */
  render?: RenderOptions;
  /** Also write outbox.json in --serve, --watch and incremental runs. Default false. */
  writeOutboxWhenWatching?: boolean;
}

export interface ResolvedEleventyOptions extends ResolvedBuildOptions {
  core: ResolvedOptions;
  /** The shared options as given, for the page worker (which resolves them itself). */
  shared: Record<string, unknown>;
  received: ResolvedReceived | undefined;
  render: RenderOptions;
  writeOutboxWhenWatching: boolean;
}

/** Validates the plugin's options at the door; errors name the option and this package. */
export function resolveEleventyOptions(input: unknown): ResolvedEleventyOptions {
  // Path options are relative to the project: the working directory.
  const { given, core, shared, build, received } = resolveAdapterOptions(input, {
    packageName: PACKAGE_NAME,
    own: ["render", "writeOutboxWhenWatching"] satisfies (keyof EleventyPingbackOptions)[],
  });
  const { render, writeOutboxWhenWatching } = given as Partial<EleventyPingbackOptions>;
  return {
    core,
    shared,
    ...build,
    received,
    render: resolveRenderOptions(render, PACKAGE_NAME),
    writeOutboxWhenWatching: booleanOption(
      writeOutboxWhenWatching,
      "writeOutboxWhenWatching",
      PACKAGE_NAME,
      false,
    ),
  };
}
