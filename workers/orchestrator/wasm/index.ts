/**
 * Wasm agents, host side. This entry is pure (importable in Node and workerd); the bundled
 * modules themselves are imported by ./bundled.ts, which only a Worker bundle can load.
 */
export { createWasmAgent } from "./agent";
export { WASM_AGENT_DESCRIPTIONS } from "./descriptions";
