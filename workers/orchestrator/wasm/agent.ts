/**
 * Wraps a compiled wasm agent module as an ordinary Agent: marshal the compact model view in,
 * call the ABI, validate what comes out. The module is never trusted.
 */
import type { Agent, AgentContext } from "../agents/types";
import type { TestCase } from "../../model";
import { callGenerate } from "./abi";
import { toWasmInput } from "./model-view";
import { validateWasmOutput } from "./output-schema";
import { embedInBases, positiveBases } from "./positive-base";

export interface WasmAgentOptions {
  /** output larger than this is refused (default 64 MiB) */
  maxOutputBytes?: number;
}

export function createWasmAgent(name: string, module: WebAssembly.Module, description: string, options: WasmAgentOptions = {}): Agent {
  return {
    name,
    description,
    async generate(ctx: AgentContext): Promise<TestCase[]> {
      // the agent's cases start from valid requests: a fuzzed value is then all that is wrong
      const bases = positiveBases(ctx, name);
      const input = toWasmInput(ctx.model, { agent: name, seed: ctx.seed, maxCasesPerOperation: ctx.config.maxCasesPerOperation, bases: bases.byOperation });
      const bytes = new TextEncoder().encode(JSON.stringify(input));
      const output = await callGenerate(module, bytes, { name, seed: input.seed, maxOutputBytes: options.maxOutputBytes });
      return embedInBases(validateWasmOutput(output, { agent: name, model: ctx.model, maxCasesPerOperation: input.maxCasesPerOperation }), bases, ctx.model);
    },
  };
}
