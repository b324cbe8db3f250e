/// <reference types="node" />
/**
 * `sentinel oracles list|accept|reject` against a stand-in Sentinel that speaks the REST contract
 * (GET /specs?name, GET /specs/{id}/oracles, POST …/{oracleId}/accept|reject) and records what it
 * was sent; the routes themselves are tested in workerd (test/workerd/oracles-api.test.ts).
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliError } from "../../cli/src/exit-codes";
import { parseOraclesArgs } from "../../cli/src/oracles-command";
import { buildCli } from "../../scripts/build-cli.mjs";
import { ROOT, runCli } from "./cli-helpers";
import { listenLoopback, type LoopbackServer } from "../loopback-server";

const TOKEN = "sk_test_oracles_cli_00000000000000";
const DEMO_SPEC = path.join(ROOT, "examples/demo-api/openapi.yaml");

let target: LoopbackServer;
let base: string;
const calls: string[] = [];
const oracles = [
  { id: "o_limit", operationId: "searchItems", source: "llm", sentence: "Returns at most `limit` results.", assertion: {}, status: "proposed" },
  { id: "o_offset", operationId: "listItems", source: "inferred", sentence: "/offset equals the query parameter offset", assertion: {}, status: "proposed", observations: 7 },
];

beforeAll(async () => {
  await buildCli({ quiet: true });
  target = await listenLoopback((req, res) => {
    calls.push(`${req.method} ${req.url}`);
    const send = (status: number, body: unknown) => res.writeHead(status, { "content-type": status < 300 ? "application/json" : "application/problem+json" }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { type: "about:blank", title: "Authentication required", status: 401 });
    const url = new URL(req.url!, "http://x");
    if (url.pathname === "/api/v1/specs") return send(200, { specs: url.searchParams.get("name") === "demo-shop-api" ? [{ id: "spec_demo", name: "demo-shop-api" }] : [] });
    if (url.pathname === "/api/v1/specs/spec_demo/oracles") return send(200, { items: oracles });
    const verdict = /^\/api\/v1\/specs\/spec_demo\/oracles\/([^/]+)\/(accept|reject)$/.exec(url.pathname);
    const found = oracles.find((o) => o.id === verdict?.[1]);
    if (req.method === "POST" && verdict && found) return send(200, { ...found, status: verdict[2] === "accept" ? "accepted" : "rejected" });
    return send(404, { type: "about:blank", title: "Not found", status: 404, detail: `no ${url.pathname}` });
  });
  base = target.url;
});
afterAll(() => target.close());

describe("sentinel oracles", () => {
  it("lists a spec's oracles by its file (stored name = title slug), accepts and rejects them", async () => {
    const list = await runCli(["oracles", "list", "--spec", DEMO_SPEC, "--server", base, "--token", TOKEN]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain("o_limit  proposed  llm       searchItems: Returns at most `limit` results.");
    expect(list.stdout).toContain("o_offset  proposed  inferred  listItems: /offset equals the query parameter offset (7 observations)");
    expect(calls).toContain("GET /api/v1/specs?name=demo-shop-api");

    const json = await runCli(["oracles", "list", "--spec", "demo-shop-api", "--json"], { env: { SENTINEL_SERVER: base, SENTINEL_TOKEN: TOKEN } });
    expect(JSON.parse(json.stdout)).toHaveLength(2);

    const accepted = await runCli(["oracles", "accept", "o_limit", "--spec", "demo-shop-api", "--server", base, "--token", TOKEN]);
    expect(accepted.stdout).toContain("o_limit  accepted");
    const rejected = await runCli(["oracles", "reject", "o_offset", "--spec", "demo-shop-api", "--server", base, "--token", TOKEN]);
    expect(rejected.stdout).toContain("o_offset  rejected");
    expect(calls).toEqual(expect.arrayContaining(["POST /api/v1/specs/spec_demo/oracles/o_limit/accept", "POST /api/v1/specs/spec_demo/oracles/o_offset/reject"]));
  });

  it("usage errors exit 2 with the reason; an unknown oracle or spec is an error too", async () => {
    const noSpec = await runCli(["oracles", "list", "--server", base, "--token", TOKEN]);
    expect(noSpec.code).toBe(2);
    expect(noSpec.stderr).toContain("needs --spec");
    const noIds = await runCli(["oracles", "accept", "--spec", "x", "--server", base, "--token", TOKEN]);
    expect(noIds.stderr).toContain("needs at least one oracle id");
    const unknownSpec = await runCli(["oracles", "list", "--spec", "nope", "--server", base, "--token", TOKEN]);
    expect(unknownSpec.code).toBe(2);
    expect(unknownSpec.stderr).toContain('no spec named "nope"');
    const unknownOracle = await runCli(["oracles", "accept", "o_missing", "--spec", "demo-shop-api", "--server", base, "--token", TOKEN]);
    expect(unknownOracle.code).toBe(2);
    expect(unknownOracle.stderr).toContain("cannot accept oracle o_missing");
    const badToken = await runCli(["oracles", "list", "--spec", "demo-shop-api", "--server", base, "--token", "wrong"]);
    expect(badToken.stderr).toContain("check --token");
  });

  it("a bad flag exits 2 naming it, and points at the oracles help", async () => {
    const unknown = await runCli(["oracles", "list", "--spec", "demo-shop-api", "--jsno", "--server", base, "--token", TOKEN]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown flag --jsno for sentinel oracles");
    expect(unknown.stderr).toContain("Run `sentinel oracles --help` for the flags.");
    const missing = await runCli(["oracles", "list", "--server", base, "--token", TOKEN, "--spec"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--spec needs a value (file|name)");
    expect(calls.filter((c) => c.includes("jsno"))).toEqual([]);
  });
});

describe("parseOraclesArgs", () => {
  const usage = (argv: string[]) => {
    try {
      parseOraclesArgs(argv);
    } catch (err) {
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).kind).toBe("usage");
      return (err as CliError).message;
    }
    throw new Error(`expected a usage error for ${argv.join(" ")}`);
  };

  it("reads ids between flags, --flag=value and --json", () => {
    expect(parseOraclesArgs(["accept", "o_1", "--spec=shop", "o_2", "--server", "http://127.0.0.1:1", "--token", "t", "--state-dir", "d"])).toEqual({
      action: "accept", ids: ["o_1", "o_2"], spec: "shop", server: "http://127.0.0.1:1", token: "t", stateDir: "d", json: false,
    });
    expect(parseOraclesArgs(["list", "--spec", "shop", "--json"])).toEqual({ action: "list", ids: [], spec: "shop", json: true });
  });

  it("names the flag that is unknown, lacks its value or takes none", () => {
    expect(usage(["list", "--spec", "shop", "--bogus"])).toBe("unknown flag --bogus for sentinel oracles");
    expect(usage(["list", "--spec"])).toBe("--spec needs a value (file|name)");
    expect(usage(["list", "--spec", "--json"])).toBe("--spec needs a value (file|name)");
    expect(usage(["list", "--spec", "shop", "--json=yes"])).toBe("--json takes no value");
    expect(usage(["list", "--spec", ""])).toBe("--spec may not be empty");
    expect(usage(["accept", "-x", "--spec", "shop"])).toBe('unexpected argument "-x" (flags start with --)');
    expect(usage(["list", "o_1", "--spec", "shop"])).toBe("sentinel oracles list takes no oracle ids");
    expect(usage(["show", "--spec", "shop"])).toBe('sentinel oracles: expected list, accept or reject (got "show")');
  });
});
