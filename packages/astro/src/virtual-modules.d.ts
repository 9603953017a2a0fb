declare module "virtual:@static-pingback/astro/config" {
  const config: import("./received-source.ts").RuntimeConfig;
  export default config;
}
