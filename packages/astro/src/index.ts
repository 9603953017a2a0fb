export { staticPingback as default, staticPingback } from "./integration.ts";
export type { AstroPingbackOptions } from "./options.ts";
