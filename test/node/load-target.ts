/** Starts test/node/load-target-server.mjs (a known latency distribution) in its own process. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface LoadTarget {
  url: string;
  count(): Promise<number>;
  /** service times (ms) measured by the server, in arrival order */
  serviceTimes(): Promise<number[]>;
  /** holds every request arriving in the next `ms` until that time has passed */
  stall(ms: number): Promise<void>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startLoadTarget(): Promise<LoadTarget> {
  const child = spawn(process.execPath, [fileURLToPath(new URL("./load-target-server.mjs", import.meta.url))], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolve(out.trim());
    });
    child.once("exit", (code) => reject(new Error(`load target exited (${code})`)));
  });
  const control = async (path: string) => (await fetch(`${url}/__load/${path}`)).json();
  return {
    url,
    count: async () => ((await control("count")) as { count: number }).count,
    serviceTimes: async () => (await control("times")) as number[],
    stall: async (ms) => void (await control(`stall?ms=${ms}`)),
    reset: async () => void (await control("reset")),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** The value at rank ceil(p% · n) of the sorted samples: the definition HDR histograms use. */
export function exactPercentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
