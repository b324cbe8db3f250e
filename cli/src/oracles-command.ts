/**
 * `sentinel oracles list|accept|reject` — the oracles Sentinel keeps per spec: rules an LLM read in
 * the spec's prose and invariants inferred from earlier runs' responses. Accepting one gives its
 * findings full confidence; rejecting one means it is never checked again.
 *
 *   sentinel oracles list   --spec <file|name> [--json]
 *   sentinel oracles accept <oracle-id>… --spec <file|name>
 *   sentinel oracles reject <oracle-id>… --spec <file|name>
 *   (--server URL --token KEY, or the local platform's data in --state-dir, default ./.sentinel)
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { SentinelClient, type StoredOracleView } from "./client";
import { CliError, EXIT_OK } from "./exit-codes";
import { readFlagsAndPositionals, type FlagSpec } from "./flags";
import { startLocalPlatform, type LocalPlatform } from "./local-platform";
import { specName } from "./run-command";
import { loadSpec } from "./spec-source";

interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  packageRoot: string;
  version: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
}

export interface OraclesArgs {
  action: "list" | "accept" | "reject";
  ids: string[];
  spec?: string;
  server?: string;
  token?: string;
  stateDir?: string;
  json: boolean;
}

export const ORACLES_HELP = [
  "sentinel oracles list   --spec <file|name> [--json]",
  "sentinel oracles accept <oracle-id>... --spec <file|name>",
  "sentinel oracles reject <oracle-id>... --spec <file|name>",
  "",
  "The oracles kept per spec: rules an LLM read in the spec's prose (source llm) and invariants",
  "inferred from the responses of earlier runs (source inferred). Accepted ones give their findings",
  "full confidence; rejected ones are never checked again.",
  "  --spec <file|name>   the spec file (its stored name is its title) or the stored spec name",
  "  --server <url> --token <key>   a running Sentinel (env SENTINEL_SERVER, SENTINEL_TOKEN)",
  "  --state-dir <dir>    local mode: the platform's data (default ./.sentinel, as --keep-state writes)",
  "  --json               list as JSON",
].join("\n");

/** The flags of `sentinel oracles` (read by node:util parseArgs in ./flags); the rest are oracle ids. */
const ORACLES_FLAGS: Record<string, FlagSpec> = {
  spec: { kind: "string", arg: "file|name" },
  server: { kind: "string", arg: "url" },
  token: { kind: "string", arg: "key" },
  "state-dir": { kind: "string", arg: "dir" },
  json: { kind: "bool" },
};

export function parseOraclesArgs(argv: readonly string[]): OraclesArgs {
  const [action, ...rest] = argv;
  if (action !== "list" && action !== "accept" && action !== "reject") throw new CliError(`sentinel oracles: expected list, accept or reject (got "${action ?? ""}")`, "usage");
  const { flags, positionals } = readFlagsAndPositionals(rest, ORACLES_FLAGS, { unknown: (name) => `unknown flag --${name} for sentinel oracles` });
  const out: OraclesArgs = { action, ids: positionals, json: false };
  for (const { flag, name, value } of flags) {
    if (flag === "json") out.json = value === "true";
    else if (value === "") throw new CliError(`--${name} may not be empty`, "usage");
    else if (flag === "spec") out.spec = value;
    else if (flag === "server") out.server = value;
    else if (flag === "token") out.token = value;
    else out.stateDir = value;
  }
  if (!out.spec) throw new CliError("sentinel oracles needs --spec <file|name>", "usage");
  if (action === "list" && out.ids.length > 0) throw new CliError("sentinel oracles list takes no oracle ids", "usage");
  if (action !== "list" && out.ids.length === 0) throw new CliError(`sentinel oracles ${action} needs at least one oracle id (see sentinel oracles list)`, "usage");
  return out;
}

/** The stored name of --spec: a file's title slug (as `sentinel run` stores it), else the text as given. */
async function storedName(spec: string, cwd: string): Promise<string> {
  const file = path.resolve(cwd, spec);
  if (/^https?:\/\//i.test(spec) || existsSync(file)) return specName(await loadSpec(/^https?:/i.test(spec) ? spec : file, cwd));
  return spec;
}

function line(o: StoredOracleView): string {
  const seen = o.observations !== undefined ? ` (${o.observations} observations)` : "";
  return `${o.id}  ${o.status.padEnd(8)}  ${o.source.padEnd(8)}  ${o.operationId}: ${o.sentence}${seen}`;
}

export async function oraclesCommand(args: OraclesArgs, io: Io): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const env = io.env ?? process.env;
  const server = args.server ?? (env.SENTINEL_SERVER || undefined);
  const token = args.token ?? (env.SENTINEL_TOKEN || undefined);
  if (server && !token) throw new CliError("--server needs --token (or SENTINEL_TOKEN): an API key of that Sentinel", "usage");
  const name = await storedName(args.spec!, cwd);
  let platform: LocalPlatform | undefined;
  try {
    let client: SentinelClient;
    if (server) {
      client = new SentinelClient({ server, token: token!, userAgent: `sentinel-cli/${io.version}` });
    } else {
      const stateDir = path.resolve(cwd, args.stateDir ?? ".sentinel");
      if (!existsSync(stateDir)) throw new CliError(`no local Sentinel data in ${stateDir}: run with --keep-state (or --state-dir) first, or give --server`, "usage");
      platform = await startLocalPlatform({ packageRoot: io.packageRoot, stateDir, log: (l) => io.stderr.write(`sentinel: ${l}\n`) });
      client = new SentinelClient({ server: platform.url, token: platform.token, userAgent: `sentinel-cli/${io.version}` });
    }
    const spec = await client.findSpec(name);
    if (!spec) throw new CliError(`no spec named "${name}" on this Sentinel`, "usage");
    if (args.action === "list") {
      const oracles = await client.listOracles(spec.id);
      if (args.json) io.stdout.write(JSON.stringify(oracles, null, 2) + "\n");
      else if (oracles.length === 0) io.stdout.write(`no oracles for ${name} yet (they come from runs: --llm for prose oracles, any run for inferred invariants)\n`);
      else io.stdout.write(oracles.map(line).join("\n") + "\n");
      return EXIT_OK;
    }
    for (const id of args.ids) {
      const updated = await client.setOracleVerdict(spec.id, id, args.action);
      io.stdout.write(line(updated) + "\n");
    }
    return EXIT_OK;
  } finally {
    await platform?.stop();
  }
}
