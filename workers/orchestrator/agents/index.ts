/**
 * The TypeScript agents by name. Wasm agents (../wasm) implement the same Agent interface and are
 * passed to planRun as extra agents where they can be loaded (workerd bundles).
 */
import { dataExposure } from "./data-exposure";
import { functionalNegative } from "./functional-negative";
import { functionalPositive } from "./functional-positive";
import { securityAuth } from "./security-auth";
import { securityInjection } from "./security-injection";
import { stateful } from "./stateful";
import type { Agent } from "./types";

export const AGENTS: readonly Agent[] = [functionalPositive, functionalNegative, stateful, securityAuth, securityInjection, dataExposure];

export const AGENT_REGISTRY: ReadonlyMap<string, Agent> = new Map(AGENTS.map((agent) => [agent.name, agent]));

export function getAgent(name: string): Agent | undefined {
  return AGENT_REGISTRY.get(name);
}

export type { Agent } from "./types";
