import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Loopback, startLoopback } from "../../core/test/net/loopback.ts";

/**
 * The deployed site on 127.0.0.1: serves the state directory's manifest.json as
 * /pingback-manifest.json, but only after `notLiveFor` requests answered 404 (the deploy
 * still rolling out). `live = false` keeps it at 404.
 */
export interface DeployedSite extends Loopback {
  notLiveFor: number;
  live: boolean;
  manifestRequests: number;
}

export async function startDeployedSite(stateDir: string): Promise<DeployedSite> {
  const site = {} as DeployedSite;
  const loopback = await startLoopback((req, res) => {
    if (!req.url?.startsWith("/pingback-manifest.json")) {
      res.writeHead(404).end();
      return;
    }
    site.manifestRequests += 1;
    if (!site.live || site.manifestRequests <= site.notLiveFor) {
      res.writeHead(404).end("not found");
      return;
    }
    readFile(join(stateDir, "manifest.json")).then(
      (body) => res.writeHead(200, { "content-type": "application/json" }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  return Object.assign(site, loopback, { notLiveFor: 0, live: true, manifestRequests: 0 });
}
