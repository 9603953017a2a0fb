import { BuildSession, type BuildSessionSetup } from "../../src/build/build-session.ts";
import { resolveOptions } from "../../src/options/resolve-options.ts";

/**
 * A build session begun as an adapter begins a full build that writes files: `shared`
 * are the options as a user gives them, `stateDir` where the records go. `setup`
 * overrides the session's setup (the page cache is off by default); `worker: false`
 * does every page inline.
 */
export async function startedSession(
  shared: Record<string, unknown> & { site: string },
  stateDir: string,
  setup: Partial<BuildSessionSetup> = {},
  { worker = true }: { worker?: boolean } = {},
): Promise<BuildSession> {
  const session = new BuildSession({
    packageName: "@static-pingback/test",
    pageCache: false,
    previousManifest: undefined,
    log: { info: () => {}, warn: () => {} },
    ...setup,
  });
  await session.begin({
    options: { ...resolveOptions(shared, "@static-pingback/test"), stateDir },
    watch: false,
    incremental: false,
    writesFiles: true,
    workerOptions: worker ? shared : undefined,
  });
  return session;
}
