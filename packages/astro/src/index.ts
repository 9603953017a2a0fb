import { staticPingback } from "./integration.ts";

export type { AstroPingbackOptions } from "./options.ts";
export { staticPingback };
export default staticPingback;
