/**
 * Targets that die (test/workerd/mortal-child.mjs, each in a child process), started from a test
 * through the main target: `GET /__mortal` starts one and answers {"url": …}; `?restart=1` starts
 * it again on the same port 1 s after each exit (as a supervisor's restart loop does).
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";

const CHILD = fileURLToPath(new URL("./mortal-child.mjs", import.meta.url));
const children = new Set<ChildProcess>();
let stopping = false;

function start(port: number, restart: boolean): Promise<number> {
  const child = spawn(process.execPath, [CHILD, String(port)], { stdio: ["ignore", "pipe", "inherit"] });
  children.add(child);
  return new Promise((resolve, reject) => {
    child.stdout!.once("data", (data: Buffer) => {
      const listening = Number(String(data).trim());
      child.once("exit", () => {
        if (restart && !stopping) setTimeout(() => void start(listening, true).catch(() => undefined), 1000);
      });
      resolve(listening);
    });
    child.once("error", reject);
    child.once("exit", () => children.delete(child));
  });
}

/** Handles `/__mortal`; false for any other path. */
export function handleMortal(_req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  if (url.pathname !== "/__mortal") return false;
  start(0, url.searchParams.get("restart") === "1").then(
    (port) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ url: `http://127.0.0.1:${port}` })),
    (error: unknown) => res.writeHead(500).end(String(error)),
  );
  return true;
}

/** Teardown: no child outlives the tests. */
export function stopMortals(): void {
  stopping = true;
  for (const child of children) child.kill();
}
