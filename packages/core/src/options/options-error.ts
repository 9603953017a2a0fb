/** An invalid option: the message names the package and the option, and says what is accepted. */
export class PingbackOptionsError extends Error {
  readonly option: string;

  constructor(packageName: string, option: string, problem: string) {
    super(`[${packageName}] option "${option}" ${problem}`);
    this.name = "PingbackOptionsError";
    this.option = option;
  }
}
