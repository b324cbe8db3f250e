/**
 * OAuth scopes: what an operation's security requirement demands (OpenAPI: "the list of scope
 * names required for the execution") and what each identity was granted — the `scope` of its
 * token response (the CLI passes it as the run's identityScopes) or the `scope`/`scp` claim of its
 * JWT. An identity that holds none of an operation's scope sets is refused by an API that follows
 * its spec (401/403): BFLA's attacker (security-auth.ts).
 */
import type { ApiModel, Operation } from "../../model";
import { parseJwtCredential } from "./jwt";
import type { PlanConfig } from "./types";

/** Space- or comma-separated scope text (RFC 6749 §3.3), or an array of names. */
export function scopeList(value: unknown): string[] | undefined {
  const names = typeof value === "string" ? value.split(/[\s,]+/) : Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined;
  return names?.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** The scopes an identity holds: given to the run, else its JWT's `scope` or `scp` claim; undefined when unknown. */
export function grantedScopes(config: PlanConfig, identity: string): string[] | undefined {
  const given = config.identityScopes?.[identity];
  if (given) return given;
  const claims = parseJwtCredential(config.identityTokens?.[identity])?.claims;
  if (!claims) return undefined;
  return scopeList(claims.scope) ?? scopeList(claims.scp);
}

/**
 * The scope sets of an operation, one per security alternative; undefined when scopes do not
 * decide it: an alternative without OAuth2/OpenID Connect (an API key may open it too), or no
 * alternative that names a scope.
 */
export function requiredScopeSets(model: ApiModel, op: Operation): string[][] | undefined {
  if (op.security.length === 0) return undefined;
  const sets: string[][] = [];
  for (const alternative of op.security) {
    const names = Object.keys(alternative);
    if (names.length === 0) return undefined;
    if (names.some((name) => !["oauth2", "openIdConnect"].includes(model.securitySchemes[name]?.type ?? ""))) return undefined;
    sets.push([...new Set(names.flatMap((name) => alternative[name] ?? []))]);
  }
  return sets.some((set) => set.length > 0) ? sets : undefined;
}

/**
 * An operation the spec opens to any valid token although it states scopes per operation: one
 * security alternative made only of OAuth2/OpenID Connect schemes with an empty scope list, in a
 * spec where some operation names a scope. The scope lists then say who may call it — a tag or an
 * operation name cannot make it privileged.
 */
export function openToAnyToken(model: ApiModel, op: Operation): boolean {
  const oauth = (name: string) => ["oauth2", "openIdConnect"].includes(model.securitySchemes[name]?.type ?? "");
  const open = op.security.some((alternative) => {
    const names = Object.keys(alternative);
    return names.length > 0 && names.every((name) => oauth(name) && (alternative[name] ?? []).length === 0);
  });
  return open && model.operations.some((other) => requiredScopeSets(model, other) !== undefined);
}

/** Whether `granted` satisfies one of the sets (every scope of it held). */
export function satisfies(granted: readonly string[], sets: string[][]): boolean {
  return sets.some((set) => set.every((scope) => granted.includes(scope)));
}
