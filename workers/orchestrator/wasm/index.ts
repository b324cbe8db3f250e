/**
 * Wasm agents, host side. This entry is pure (importable in Node and workerd); the bundled
 * modules themselves are imported by ./bundled.ts, which only a Worker bundle can load.
 */
export { createWasmAgent, type WasmAgentOptions } from "./agent";
export { callGenerate, WasmAgentError, type WasmCallOptions } from "./abi";
export { toWasmInput, type WasmInput, type WasmOperationView, type WasmParamView, type WasmBodyView, type WasmPropView } from "./model-view";
export { validateWasmOutput, type OutputExpectations } from "./output-schema";
export { WASM_AGENT_DESCRIPTIONS } from "./descriptions";
