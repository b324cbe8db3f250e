/**
 * Wrangler and Miniflare refuse Node < 22. The launcher (cli/bin/sentinel.mjs) re-runs the CLI
 * under the project's node@22 through scripts/node22.mjs; this module finds that binary for
 * spawning wrangler when the CLI itself still runs on an older Node.
 */
import { existsSync } from "node:fs";
import path from "node:path";

export const MIN_NODE_MAJOR = 22;

export function nodeMajor(version = process.versions.node): number {
  return Number.parseInt(version.split(".")[0], 10);
}

/** The node@22 binary shipped by the `node` package inside the Sentinel package, if installed. */
export function bundledNodeBinary(packageRoot: string): string | undefined {
  const candidates = [path.join(packageRoot, "node_modules", "node", "bin", "node"), path.join(packageRoot, "node_modules", ".bin", "node")];
  return candidates.find((file) => existsSync(file));
}
