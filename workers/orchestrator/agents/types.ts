/**
 * The agent interface. An agent turns the operation model into test cases, deterministically
 * for a given seed. TypeScript agents and wasm agents (agents-wasm/) implement the same shape.
 */
import type { AgentName, ApiModel, CaseKind, TestCase } from "../../model";
import type { MeaningLink } from "./resources";

export interface PlanConfig {
  /** identities configured for the run, in order; the first is the default ("A") */
  identities: string[];
  /** upper bound on cases per operation per agent, to keep big specs plannable */
  maxCasesPerOperation: number;
  /** names of identities considered unprivileged for BFLA probes (default: all but the first? see agent) */
  unprivilegedIdentities?: string[];
  /**
   * Optional credential values per identity (e.g. "Bearer eyJ…", "Token eyJ…"). security-auth only
   * reads the claims and the scheme prefix of a JWT from them to forge look-alike tokens (expired,
   * alg=none, wrong key); a credential is never copied into a case unchanged.
   */
  identityTokens?: Record<string, string>;
  /**
   * Each identity's role (auth/roles.ts), declared or read from its profile at the pre-flight:
   * identities of the first one's role are its peers (no BFLA between them), one of another role is
   * an attacker. Absent: every identity after the first is taken as unprivileged.
   */
  identityRoles?: Record<string, string>;
  /** OAuth scopes granted per identity (a token response's `scope`); agents/scopes.ts also reads JWT claims */
  identityScopes?: Record<string, string[]>;
  /** the burst of failed sign-ins that looks for a rate limit (default true; false opts out) */
  authBurst?: boolean;
  /** cap on the number of cases of the whole plan (planRun; default 20,000) */
  maxTotalCases?: number;
  /** producer → consumer links by meaning that the run confirmed before planning (resources.ts MeaningLink) */
  links?: MeaningLink[];
}

export interface AgentContext {
  model: ApiModel;
  seed: number;
  config: PlanConfig;
}

export interface Agent {
  name: AgentName;
  description: string;
  generate(ctx: AgentContext): TestCase[] | Promise<TestCase[]>;
  /**
   * generate's cases, one lazy sequence per operation in generate's order, each case built only
   * when the planner's total cap asks for it (most are never built when the cap is small). Only
   * for cases that are never positive: the planner's coverage step reads every positive case of
   * the plan, those the cap leaves out too (seek-coverage.ts).
   */
  byOperation?(ctx: AgentContext): OperationCases[];
}

/** The cases of one agent for one operation, in order, built as they are asked for. */
export interface OperationCases {
  operationId: string;
  cases: Iterable<TestCase & { kind: Exclude<CaseKind, "positive"> }>;
}
