// Tokens for the demo identities. Run `node examples/demo-api/tokens.mjs` to print CLI flags.
import { pathToFileURL } from "node:url";
import { signJwt } from "./jwt.mjs";

export const DEMO_USERS = ["alice", "bob", "admin"];

/** 2100-01-01T00:00:00Z: far enough that the demo tokens never expire, fixed so they are deterministic. */
const FAR_FUTURE = 4102444800;
const ISSUED_AT = 1704067200;

/** A signed HS256 token for `sub`; `expiresAt` (seconds) and `alg` let tests forge bad ones. */
export function demoToken(sub, { expiresAt = FAR_FUTURE, alg = "HS256", secret } = {}) {
  return signJwt({ sub, iat: ISSUED_AT, exp: expiresAt }, { alg, ...(secret ? { secret } : {}) });
}

/** { alice, bob, admin } → bearer token. */
export function demoTokens() {
  return Object.fromEntries(DEMO_USERS.map((name) => [name, demoToken(name)]));
}

/** `--identity` arguments for the sentinel CLI, one per demo user. */
export function identityArgs(names = ["alice", "bob"]) {
  const tokens = demoTokens();
  return names.flatMap((name) => ["--identity", `${name}:Authorization: Bearer ${tokens[name]}`]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv.includes("--exports")) {
  // `eval "$(node examples/demo-api/tokens.mjs --exports)"` sets ALICE_TOKEN, BOB_TOKEN, ADMIN_TOKEN
  for (const [name, token] of Object.entries(demoTokens())) console.log(`export ${name.toUpperCase()}_TOKEN=${token}`);
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [name, token] of Object.entries(demoTokens())) {
    console.log(`${name}\t${token}`);
  }
  console.log(`\n--identity "alice:Authorization: Bearer ${demoToken("alice")}" --identity "bob:Authorization: Bearer ${demoToken("bob")}"`);
}
