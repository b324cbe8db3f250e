/**
 * Identities' roles, for BFLA: which identities are peers (same role: what one may call, the
 * other may too) and which one holds a lesser role than the first (the privileged) identity.
 * A role is declared by the user (sentinel.yaml `roles:`, `--role`, the API's
 * `target.identityRoles`) or read from the identity's own profile at the pre-flight (the
 * `/me`-like answer's `role`, `roles`, `is_admin`, `permissions` …). Unknown roles change
 * nothing: BFLA then takes every identity after the first as unprivileged, as before. Pure.
 */

/** Profile members that say what an account may do, most specific first. */
const ROLE_KEYS = [
  /^(user_?|account_?|member_?)?roles?$/i,
  /^(is_?|site_?)?(admin|administrator|staff|superuser|super_?admin|owner|moderator)$/i,
  /^(permissions|authorities|groups|scopes?|privileges|access_?level)$/i,
  // a bare `type` is the resource's kind (JSON:API "users", GitHub's "User"), the same for everyone
  /^(user|account|member)_?type$/i,
];
/** Wrappers a profile may sit in: `{ data: { attributes: { role } } }`, `{ user: { role } }`. */
const WRAPPERS = /^(data|user|profile|account|me|attributes|result)$/i;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** One role value as text: "owner", "admin,editor" (a list, sorted), "is_admin" / "not is_admin" (a flag). */
function roleText(key: string, value: unknown, roleKey: boolean): string | undefined {
  if (typeof value === "string") return value.trim() === "" ? undefined : value.trim().toLowerCase();
  if (typeof value === "number") return `${key.toLowerCase()}=${value}`;
  if (typeof value === "boolean") return value ? key.toLowerCase() : `not ${key.toLowerCase()}`;
  if (Array.isArray(value)) {
    const items = value.map((item) => (isRecord(item) ? (item.name ?? item.id ?? item.role) : item)).filter((item): item is string | number => typeof item === "string" || typeof item === "number");
    return items.length === value.length ? items.map((item) => String(item).toLowerCase()).sort().join(",") : undefined;
  }
  // `role: { name: "owner" }`; an `owner` member holding a record names a person, not a role
  if (roleKey && isRecord(value) && typeof value.name === "string") return value.name.toLowerCase();
  return undefined;
}

/** The profile record and the ones it wraps (two levels down), outermost first. */
function records(profile: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let level = isRecord(profile) ? [profile] : [];
  for (let depth = 0; depth <= 2 && level.length > 0; depth++) {
    out.push(...level);
    level = level.flatMap((record) => Object.entries(record).filter(([key, value]) => WRAPPERS.test(key) && isRecord(value)).map(([, value]) => value as Record<string, unknown>));
  }
  return out;
}

/** The role a profile answer names, or undefined when it names none. */
export function roleOf(profile: unknown): string | undefined {
  const found = records(profile);
  for (const [i, pattern] of ROLE_KEYS.entries()) {
    for (const record of found) {
      const key = Object.keys(record).find((k) => pattern.test(k));
      const text = key === undefined ? undefined : roleText(key, record[key], i === 0);
      if (text !== undefined) return text;
    }
  }
  return undefined;
}

/** Identity names and role words that say "privileged": admin, root, superuser, staff, owner, ops, sysadmin ... */
export const PRIVILEGED_IDENTITY = /(admin|root|super|staff|owner|operator|moderator|privileged|elevated|manager|(^|[^a-z])ops([^a-z]|$))/i;

/** A role that names a privileged one (an admin, an owner; `is_admin: true`): such an identity is no BFLA attacker. */
export const isPrivilegedRole = (role: string) => !role.startsWith("not ") && PRIVILEGED_IDENTITY.test(role);

/**
 * A role that grants nothing beyond an ordinary account (`user`, `member`, `customer`, `is_admin:
 * false` …): two identities sharing it are both unprivileged callers of an admin operation, not peers
 * of a privileged first identity.
 */
export const isBasicRole = (role: string) => role.startsWith("not ") || /^(users?|members?|customers?|clients?|viewers?|guests?|readers?|basic|standard|default|regular|normal|employees?|respondents?|patients?|students?|buyers?|shoppers?)$/i.test(role);

/** Declared roles win over the ones read from profiles; undefined when none is known. */
export function mergeRoles(declared: Record<string, string> | undefined, inferred: Record<string, string> | undefined): Record<string, string> | undefined {
  const merged = { ...(inferred ?? {}), ...(declared ?? {}) };
  return Object.keys(merged).length > 0 ? merged : undefined;
}
