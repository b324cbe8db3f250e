// The API keys of the Library API and the --identity flags a Sentinel user would pass.
//   node examples/second-api/keys.mjs
import { pathToFileURL } from "node:url";

/** identity name → { key, role }. Roles nest: admin ⊇ editor ⊇ reader. */
export const API_KEYS = {
  reader: { key: "rk_live_5c1b7e0a94d2f3", role: "reader" },
  editor: { key: "ek_live_8f3e61b7a0c4d9", role: "editor" },
  admin: { key: "ak_live_2d9f04c6e81b7a", role: "admin" },
};

const RANK = { reader: 1, editor: 2, admin: 3 };

/** Does `role` include the rights of `needed`? */
export function hasRole(role, needed) {
  return (RANK[role] ?? 0) >= (RANK[needed] ?? Infinity);
}

/** The caller a key value stands for, or undefined. */
export function callerForKey(value) {
  for (const [name, entry] of Object.entries(API_KEYS)) if (entry.key === value) return { name, role: entry.role, key: entry.key };
  return undefined;
}

/** `--identity` flags for the two keys a user tests with (editor first: it can create). */
export function identityArgs() {
  return ["editor", "reader"].map((name) => `--identity "${name}:X-API-Key: ${API_KEYS[name].key}"`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [name, { key, role }] of Object.entries(API_KEYS)) console.log(`${name} (${role}): ${key}`);
  console.log(identityArgs().join(" "));
}
