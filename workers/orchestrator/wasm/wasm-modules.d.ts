/** Static `.wasm` imports are precompiled modules in a Worker bundle (wrangler rule CompiledWasm). */
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
