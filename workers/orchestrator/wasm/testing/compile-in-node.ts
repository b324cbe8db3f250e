/**
 * WebAssembly.compile for tests that run in Node. Workers forbid compiling wasm at run time,
 * so @cloudflare/workers-types leaves `compile` out; Node has it.
 */
type Compile = (bytes: Uint8Array) => Promise<WebAssembly.Module>;

export function compileInNode(bytes: Uint8Array): Promise<WebAssembly.Module> {
  return (WebAssembly as unknown as { compile: Compile }).compile(bytes);
}
