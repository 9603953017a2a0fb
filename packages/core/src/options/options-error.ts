import { StaticPingbackError } from "../errors/static-pingback-error.ts";
/** An invalid option: the message names the package and the option, and says what is accepted. */
export class PingbackOptionsError extends StaticPingbackError {
  readonly code = "invalid-option";
  readonly option: string;
  /** The message without the "[package]" prefix, for a logger that adds its own. */
  readonly detail: string;

  constructor(packageName: string, option: string, problem: string) {
    const detail = `option "${option}" ${problem}`;
    super(`[${packageName}] ${detail}`);
    this.name = "PingbackOptionsError";
    this.option = option;
    this.detail = detail;
  }
}
