// Eleventy 3 ships no type declarations; the tests and the benchmark use this much.
declare module "@11ty/eleventy" {
  export interface UserConfig {
    addPlugin(plugin: unknown, options?: unknown): unknown;
    addFilter(name: string, filter: (...args: never[]) => unknown): void;
    setTemplateFormats(formats: string | string[]): void;
    addGlobalData(name: string, data: () => unknown): void;
    addTransform(name: string, transform: (content: string) => unknown): void;
  }
  export interface EleventyRunOptions {
    quietMode?: boolean;
    runMode?: "build" | "serve" | "watch";
    pathPrefix?: string;
    configPath?: string;
    config?: (eleventyConfig: UserConfig) => unknown;
  }
  export class Eleventy {
    constructor(input?: string, output?: string, options?: EleventyRunOptions);
    init(): Promise<void>;
    write(): Promise<unknown>;
    setIncrementalFile(file: string): void;
    setIncrementalBuild(incremental: boolean): void;
    setDryRun(dryRun: boolean): void;
    watch(): Promise<unknown>;
    stopWatch(): Promise<void>;
  }
  /** Eleventy's i18n plugin: sets `page.lang` from the first folder of each page's path. */
  export const I18nPlugin: unknown;
  export default Eleventy;
}
