/**
 * A declared auth flow (sentinel.yaml `auth:`, POST /runs `auth`) resolved against the spec: its
 * operations found by operationId or "METHOD /path", the way the token is sent. Shared by the CLI
 * (which checks it before starting a run) and the run pipeline (which provisions with it).
 */
import type { ApiModel, AuthConfig, Operation } from "../../model";
import { findOperation, placementFor, profileOperation, ref, type AuthFlow, type AuthOperation, type CredentialPlacement } from "./infer";

/** A declared flow that cannot be used; `field` is the setting at fault ("auth.login.operation"). */
export class AuthConfigError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

function resolveOperation(model: ApiModel, text: string, where: string): AuthOperation {
  const m = /^([A-Za-z]+)\s+(\/\S*)$/.exec(text.trim());
  const op: Operation | undefined = m
    ? model.operations.find((o) => o.method === m[1].toLowerCase() && o.path === m[2])
    : findOperation(model, { operationId: text.trim(), method: "", path: "" });
  if (!op) throw new AuthConfigError(`auth.${where}.operation: "${text}" is no operation of the spec (operationId or "METHOD /path")`, `auth.${where}.operation`);
  return ref(op);
}

function placementFromHeader(header: string): CredentialPlacement {
  const m = /^\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*:\s*(.*)\$\{token\}\s*$/.exec(header);
  if (!m) throw new AuthConfigError(`auth.header: expected "Header-Name: [prefix ]\${token}"`, "auth.header");
  return m[1].toLowerCase() === "cookie" ? { in: "cookie", name: m[2].replace(/=\s*$/, "").trim() } : { in: "header", name: m[1], prefix: m[2] };
}

/** The declared flow, operations resolved against the spec. */
export function flowFromConfig(model: ApiModel, config: AuthConfig): AuthFlow {
  const placement = config.header ? placementFromHeader(config.header) : placementFor(model);
  if (!placement) throw new AuthConfigError(`auth: the spec's secured operations name no bearer, API-key or cookie scheme; say how the token is sent with auth.header: "Authorization: Bearer \${token}"`, "auth.header");
  const profile = profileOperation(model);
  const flow: AuthFlow = { source: "config", placement, ...(profile ? { profile: ref(profile) } : {}) };
  if (config.signup) flow.signup = { op: resolveOperation(model, config.signup.operation, "signup"), ...(config.signup.body !== undefined ? { body: config.signup.body } : {}) };
  if (config.login) flow.login = { op: resolveOperation(model, config.login.operation, "login"), ...(config.login.body !== undefined ? { body: config.login.body } : {}), ...(config.login.token ? { token: config.login.token } : {}) };
  if (config.refresh) {
    const { operation, body, token, refreshToken } = config.refresh;
    flow.refresh = { op: resolveOperation(model, operation, "refresh"), ...(body !== undefined ? { body } : {}), ...(token ? { token } : {}), ...(refreshToken ? { refreshToken } : {}) };
  }
  if (!flow.signup && !flow.login) throw new AuthConfigError("auth: needs signup, login or both", "auth");
  return flow;
}
