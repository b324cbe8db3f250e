/**
 * The wasm agents bundled into the Worker. Wrangler (and @cloudflare/vitest-plugin) turn a
 * static `.wasm` import into a precompiled WebAssembly.Module (module rule CompiledWasm), so
 * nothing is compiled at run time. Build the files first: `npm run build:wasm`.
 * Node cannot import .wasm files: there, compile agents-wasm/build/*.wasm and call createWasmAgent.
 */
import robustnessFuzzerModule from "../../../agents-wasm/build/robustness-fuzzer.wasm";
import type { Agent } from "../agents/types";
import { createWasmAgent } from "./agent";
import { WASM_AGENT_DESCRIPTIONS } from "./descriptions";

export const wasmAgents: Agent[] = [
  createWasmAgent("robustness-fuzzer", robustnessFuzzerModule, WASM_AGENT_DESCRIPTIONS["robustness-fuzzer"]),
];
