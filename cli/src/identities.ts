/**
 * --header "Name: value" and --identity "name:Name: value" → the run's identities
 * ({ [identity]: { [header]: value } }). --header values apply to every identity, or form the
 * "default" identity when there is none.
 */
import { CliError } from "./exit-codes";

export type Identities = Record<string, Record<string, string>>;

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const IDENTITY_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
export const DEFAULT_IDENTITY = "default";

/** "Name: value" → [name, value]; the value may itself contain colons (URLs, tokens). */
export function parseHeader(text: string, flag = "--header"): [string, string] {
  const colon = text.indexOf(":");
  // error messages name the header at most, never the value: it may be a secret
  if (colon <= 0) throw new CliError(`${flag}: expected "Name: value" (got ${text.length} characters without a colon)`, "usage");
  const name = text.slice(0, colon).trim();
  const value = text.slice(colon + 1).trim();
  if (!HEADER_NAME.test(name)) throw new CliError(`${flag}: "${name.slice(0, 40)}" is not a valid header name`, "usage");
  if (/[\r\n\0]/.test(value)) throw new CliError(`${flag} ${name}: the value may not contain line breaks`, "usage");
  return [name, value];
}

/** "alice:Authorization: Bearer x" → ["alice", "Authorization", "Bearer x"] */
export function parseIdentity(text: string): [string, string, string] {
  const colon = text.indexOf(":");
  // the text may be a bare secret (a token pasted without a name): never echo it
  if (colon <= 0) throw new CliError(`--identity: expected "name:Header-Name: value" (got ${text.length} characters without a name)`, "usage");
  const name = text.slice(0, colon).trim();
  if (!IDENTITY_NAME.test(name)) throw new CliError(`--identity: "${name.slice(0, 40)}" is not a valid identity name (letters, digits, _ . -)`, "usage");
  const [header, value] = parseHeader(text.slice(colon + 1), `--identity ${name}`);
  return [name, header, value];
}


/**
 * Merges, in order: identities from the config file, --identity flags, then --header flags
 * (added to every identity). Later values win for the same identity and header (case-insensitive).
 */
export function buildIdentities(
  opts: { configIdentities?: Identities; configHeaders?: Record<string, string>; identityFlags?: string[]; headerFlags?: string[] },
  warn: (line: string) => void = () => {},
): Identities | undefined {
  const identities: Identities = {};
  const set = (identity: string, header: string, value: string) => {
    const headers = (identities[identity] ??= {});
    for (const existing of Object.keys(headers)) if (existing.toLowerCase() === header.toLowerCase()) delete headers[existing];
    headers[header] = value;
  };
  for (const [name, headers] of Object.entries(opts.configIdentities ?? {})) {
    if (!IDENTITY_NAME.test(name)) throw new CliError(`config identities: "${name}" is not a valid identity name`, "usage");
    identities[name] ??= {};
    for (const [header, value] of Object.entries(headers)) set(name, ...parseHeader(`${header}: ${value}`, `identity ${name}`));
  }
  for (const flag of opts.identityFlags ?? []) set(...parseIdentity(flag));

  const common: [string, string][] = [
    ...Object.entries(opts.configHeaders ?? {}).map(([k, v]) => parseHeader(`${k}: ${v}`, "config headers")),
    ...(opts.headerFlags ?? []).map((h) => parseHeader(h)),
  ];
  if (common.length > 0 && Object.keys(identities).length === 0) identities[DEFAULT_IDENTITY] = {};
  for (const header of new Set(common.map(([name]) => name))) {
    const lower = header.toLowerCase();
    const own = Object.keys(identities).filter((name) => Object.keys(identities[name]).some((h) => h.toLowerCase() === lower));
    if (own.length === 0) continue;
    const rest = Object.keys(identities).filter((name) => !own.includes(name));
    warn(
      `--header ${header} is also given by --identity ${own.join(", ")}: the identity's value wins for ${own.join(", ")}` +
        (rest.length > 0 ? `; ${rest.join(", ")} send${rest.length === 1 ? "s" : ""} the --header value` : ""),
    );
  }
  for (const name of Object.keys(identities)) {
    // Identity-specific values win over common ones: apply common first, then re-apply the identity's own.
    const own = identities[name];
    identities[name] = {};
    for (const [header, value] of common) set(name, header, value);
    for (const [header, value] of Object.entries(own)) set(name, header, value);
  }
  return Object.keys(identities).length > 0 ? identities : undefined;
}

/**
 * "olivia:owner" (--role, sentinel.yaml roles:) → { olivia: "owner" }; later ones win. A role for
 * an identity that is not given is a mistake (a typo would silently change nothing).
 */
export function parseRoles(entries: readonly string[], identities: Identities | undefined): Record<string, string> | undefined {
  if (entries.length === 0) return undefined;
  const roles: Record<string, string> = {};
  for (const entry of entries) {
    const colon = entry.indexOf(":");
    const name = entry.slice(0, Math.max(colon, 0)).trim();
    const role = entry.slice(colon + 1).trim();
    if (colon <= 0 || role === "") throw new CliError(`--role: expected "name:role" (got "${entry.slice(0, 80)}")`, "usage");
    if (!IDENTITY_NAME.test(name)) throw new CliError(`--role: "${name.slice(0, 40)}" is not a valid identity name (letters, digits, _ . -)`, "usage");
    if (role.length > 200) throw new CliError(`--role ${name}: the role is longer than 200 characters`, "usage");
    if (identities && !(name in identities)) throw new CliError(`--role ${name}: no identity "${name}" is given (identities: ${Object.keys(identities).join(", ")})`, "usage");
    roles[name] = role;
  }
  return roles;
}
