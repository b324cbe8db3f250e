/**
 * The host half of the wasm agent ABI (agents-wasm/README.md). Each call instantiates the
 * already-compiled module afresh — instantiating a Module is allowed in workerd, compiling
 * bytes is not — so no state or memory leaks from one plan into the next.
 */

export interface WasmCallOptions {
  /** the agent's name, for error messages */
  name: string;
  /** returned by the optional `env.seed` import (AssemblyScript's Math.random seed) */
  seed: number;
  /** output larger than this is refused (default 64 MiB) */
  maxOutputBytes?: number;
}

export class WasmAgentError extends Error {
  constructor(agent: string, message: string, options?: { cause?: unknown }) {
    super(`wasm agent "${agent}": ${message}`, options);
    this.name = "WasmAgentError";
  }
}

interface AgentExports {
  memory: WebAssembly.Memory;
  alloc: (size: number) => number;
  generate: (ptr: number, len: number) => number | bigint;
}

const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;
const MAX_ABORT_MESSAGE = 4096;

/** Sends `input` (UTF-8 JSON) to the module's `generate` and returns the UTF-8 bytes it produced. */
export async function callGenerate(module: WebAssembly.Module, input: Uint8Array, opts: WasmCallOptions): Promise<Uint8Array> {
  let memory: WebAssembly.Memory | undefined;
  const imports = {
    env: {
      // AssemblyScript's abort(message, fileName, line, column): strings are UTF-16 with the byte length at ptr-4.
      abort(messagePtr: number, filePtr: number, line: number, column: number): never {
        const where = `${readAsString(memory, filePtr) ?? "?"}:${line}:${column}`;
        throw new WasmAgentError(opts.name, `aborted: ${readAsString(memory, messagePtr) ?? "(no message)"} at ${where}`);
      },
      seed: () => opts.seed,
    },
  };
  let instance: WebAssembly.Instance;
  try {
    instance = await WebAssembly.instantiate(module, imports);
  } catch (err) {
    throw new WasmAgentError(opts.name, `cannot instantiate (${errorText(err)}); a wasm agent may import only env.abort and env.seed`, { cause: err });
  }
  const exports = checkExports(instance.exports, opts.name);
  memory = exports.memory;

  let result: number | bigint;
  try {
    const ptr = exports.alloc(input.length) >>> 0;
    if (ptr === 0 || ptr + input.length > memory.buffer.byteLength) throw new WasmAgentError(opts.name, `alloc(${input.length}) returned an unusable pointer ${ptr}`);
    new Uint8Array(memory.buffer, ptr, input.length).set(input);
    result = exports.generate(ptr, input.length);
  } catch (err) {
    if (err instanceof WasmAgentError) throw err;
    throw new WasmAgentError(opts.name, `trapped: ${errorText(err)}`, { cause: err });
  }
  return readResult(memory, result, opts);
}

function checkExports(exports: WebAssembly.Exports, name: string): AgentExports {
  const missing: string[] = [];
  if (!(exports.memory instanceof WebAssembly.Memory)) missing.push("memory");
  if (typeof exports.alloc !== "function") missing.push("alloc");
  if (typeof exports.generate !== "function") missing.push("generate");
  if (missing.length > 0) throw new WasmAgentError(name, `missing export(s) ${missing.join(", ")}; the ABI needs memory, alloc and generate`);
  return exports as unknown as AgentExports;
}

/** i32 result: pointer to [len u32 LE][bytes]; i64 result: (len << 32) | ptr. */
function readResult(memory: WebAssembly.Memory, result: number | bigint, opts: WasmCallOptions): Uint8Array {
  const size = memory.buffer.byteLength;
  let ptr: number;
  let len: number;
  if (typeof result === "bigint") {
    ptr = Number(result & 0xffffffffn);
    len = Number((result >> 32n) & 0xffffffffn);
  } else {
    ptr = result >>> 0;
    if (ptr === 0 || ptr + 4 > size) throw new WasmAgentError(opts.name, `generate returned an invalid pointer ${ptr}`);
    len = new DataView(memory.buffer).getUint32(ptr, true);
    ptr += 4;
  }
  const max = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  if (len > max) throw new WasmAgentError(opts.name, `output of ${len} bytes exceeds the limit of ${max}`);
  if (ptr + len > size) throw new WasmAgentError(opts.name, `output [${ptr}, ${ptr + len}) lies outside memory (${size} bytes)`);
  // Copy out: the instance (and its memory) is dropped after this call.
  return new Uint8Array(memory.buffer, ptr, len).slice();
}

function readAsString(memory: WebAssembly.Memory | undefined, ptr: number): string | undefined {
  if (!memory || ptr <= 4 || ptr >= memory.buffer.byteLength) return undefined;
  const byteLength = new DataView(memory.buffer).getUint32(ptr - 4, true);
  const end = Math.min(ptr + byteLength, memory.buffer.byteLength, ptr + MAX_ABORT_MESSAGE * 2);
  return new TextDecoder("utf-16le").decode(new Uint8Array(memory.buffer, ptr, end - ptr));
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
