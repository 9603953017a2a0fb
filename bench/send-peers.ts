/**
 * Peers for bench/send.ts, in their own process so they do not weigh on the
 * sender's time or memory: N HTTP servers on 127.0.0.1 (one "host" each) that
 * answer every request after a fixed delay. GET: a page advertising /xmlrpc by
 * X-Pingback, or under /wm/ one advertising /webmention by a Link header. POST to
 * /xmlrpc: a pingback success string; to /webmention: 202. Prints {"ports": [...]} when ready.
 *
 *   node bench/send-peers.ts --hosts 100 --delay 50
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

const hosts = flag("hosts", 100);
const delay = flag("delay", 50);
const SUCCESS =
  '<?xml version="1.0"?><methodResponse><params><param><value><string>ok</string></value></param></params></methodResponse>';
let received = 0;

const ports = await Promise.all(
  Array.from({ length: hosts }, async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        setTimeout(() => {
          if (req.method === "POST" && req.url === "/webmention") {
            received += 1;
            res.writeHead(202).end();
          } else if (req.method === "POST") {
            received += 1;
            res.writeHead(200, { "content-type": "text/xml" }).end(SUCCESS);
          } else {
            const port = (server.address() as AddressInfo).port;
            const advert = req.url?.startsWith("/wm/")
              ? { link: "</webmention>; rel=webmention" }
              : { "x-pingback": `http://127.0.0.1:${port}/xmlrpc` };
            res.writeHead(200, { "content-type": "text/html", ...advert });
            res.end("<html><head><title>t</title></head><body>post</body></html>");
          }
        }, delay);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  }),
);
process.stdout.write(`${JSON.stringify({ ports })}\n`);
// The parent asks for the count on stdin ("count\n") and ends us by closing it.
process.stdin.setEncoding("utf8");
process.stdin.on("data", () => process.stdout.write(`${JSON.stringify({ received })}\n`));
process.stdin.on("end", () => process.exit(0));
