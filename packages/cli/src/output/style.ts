import type { CliContext } from "../context.ts";

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
}

const plain: Style = {
  bold: (t) => t,
  dim: (t) => t,
  green: (t) => t,
  yellow: (t) => t,
  red: (t) => t,
};

function wrap(open: number, close: number) {
  return (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
}

const ansi: Style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  red: wrap(31, 39),
};

/** Colour only on a terminal, never with NO_COLOR set (https://no-color.org), forced by FORCE_COLOR. */
export function styleFor(context: CliContext, stream: "stdout" | "stderr" = "stdout"): Style {
  const env = context.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return plain;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return ansi;
  if (env.FORCE_COLOR === "0" || env.TERM === "dumb") return plain;
  return context[stream].isTTY ? ansi : plain;
}
