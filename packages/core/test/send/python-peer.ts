import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface PythonCall {
  source: string;
  target: string;
  ua: string;
}

export interface PythonPeer {
  url: string;
  calls: PythonCall[];
  process: ChildProcess;
}

/** Starts Python's xmlrpc.server as the pingback endpoint; resolves with its URL and the calls it logs. */
export async function startPythonPeer(): Promise<PythonPeer> {
  const script = fileURLToPath(new URL("./fixtures/pingback_server.py", import.meta.url));
  const child = spawn("python3", [script], { stdio: ["ignore", "pipe", "inherit"] });
  const calls: PythonCall[] = [];
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`python peer exited with ${code}`)));
    lines.on("line", (line) => {
      const message = JSON.parse(line) as { port?: number } & PythonCall;
      if (message.port) resolve(message.port);
      else calls.push(message);
    });
  });
  return { url: `http://127.0.0.1:${port}/xmlrpc`, calls, process: child };
}
