import { DEFAULT_STATE_DIR, StaticPingbackError } from "@static-pingback/ci";

/** The plugin's inputs (manifest.yml), as Netlify passes them from netlify.toml. */
export interface PluginInputs {
  state_dir?: string;
  contexts?: string[] | string;
  site_url?: string;
  wait_timeout?: number | string;
  dry_run?: boolean;
  strict?: boolean;
  concurrency?: number | string;
  args?: string[] | string;
}

export interface ResolvedInputs {
  stateDir: string;
  contexts: string[];
  siteUrl: string | undefined;
  waitTimeoutSeconds: number;
  dryRun: boolean;
  strict: boolean;
  concurrency: number | undefined;
  args: string[];
}

export class PluginInputError extends StaticPingbackError {
  readonly code = "ERR_NETLIFY_INPUT";
  constructor(name: string, problem: string) {
    super(`@static-pingback/netlify input ${name}: ${problem}`);
    this.name = "PluginInputError";
  }
}

function list(value: string[] | string | undefined, fallback: string[]): string[] {
  if (value === undefined) return fallback;
  return (Array.isArray(value) ? value : value.split(/[\s,]+/)).map(String).filter(Boolean);
}

function whole(name: string, value: number | string | undefined, min: number): number | undefined {
  if (value === undefined || value === "") return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) {
    throw new PluginInputError(
      name,
      `expected a whole number >= ${min}, got ${JSON.stringify(value)}`,
    );
  }
  return number;
}

export function resolveInputs(inputs: PluginInputs): ResolvedInputs {
  return {
    stateDir: inputs.state_dir || DEFAULT_STATE_DIR,
    contexts: list(inputs.contexts, ["production"]),
    siteUrl: inputs.site_url || undefined,
    waitTimeoutSeconds: whole("wait_timeout", inputs.wait_timeout, 0) ?? 120,
    dryRun: inputs.dry_run === true,
    strict: inputs.strict === true,
    concurrency: whole("concurrency", inputs.concurrency, 1),
    args: list(inputs.args, []),
  };
}
