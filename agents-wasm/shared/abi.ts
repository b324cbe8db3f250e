/**
 * The host ABI every wasm agent implements (see agents-wasm/README.md):
 *   alloc(size) → ptr        the host writes the input JSON there
 *   generate(ptr, len) → out out points at [len: u32 LE][UTF-8 JSON]
 * An agent's index.ts re-exports `alloc` from here and defines `generate`.
 */
import { JsonWriter, JValue, parseJson } from "./json";

/** Raw, GC-untracked memory for the host's input buffer. */
export function alloc(size: i32): i32 {
  return <i32>heap.alloc(<usize>size);
}

/** Decodes and parses the input the host wrote at [ptr, ptr+len). */
export function readInput(ptr: i32, len: i32): JValue {
  return parseJson(String.UTF8.decodeUnsafe(<usize>ptr, <usize>len));
}

export { JsonWriter, JValue };
