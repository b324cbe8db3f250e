import { compileInNode } from "./compile-in-node";

/**
 * Test helper: assembles tiny wasm agent modules byte by byte, so tests can feed the host
 * adapter any output (bad JSON, wrong shapes, bad pointers, traps) without a toolchain.
 */

export interface TinyModuleOptions {
  /** what generate "produces": stored at address 8 as [len u32 LE][bytes] (default "[]") */
  output?: Uint8Array | string;
  /** what generate returns (default 8: the output is stored at 8) */
  resultPtr?: number;
  /** generate executes `unreachable` */
  trap?: boolean;
  /** exports to leave out */
  omit?: Array<"memory" | "alloc" | "generate">;
  /** add an import the host does not provide */
  extraImport?: boolean;
}

const OUTPUT_AT = 8;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

export function tinyModuleBytes(opts: TinyModuleOptions = {}): Uint8Array {
  const payload = typeof opts.output === "string" ? new TextEncoder().encode(opts.output) : (opts.output ?? new TextEncoder().encode("[]"));
  const data = [...new Uint8Array(new Uint32Array([payload.length]).buffer), ...payload];
  const omit = new Set(opts.omit ?? []);
  const I32 = 0x7f;
  const types = section(1, vec([[0x60, ...vec([[I32]]), ...vec([[I32]])], [0x60, ...vec([[I32], [I32]]), ...vec([[I32]])]]));
  const imports = opts.extraImport ? section(2, vec([[...name("env"), ...name("clock"), 0x00, 0x00]])) : [];
  const funcBase = opts.extraImport ? 1 : 0;
  const funcs = section(3, vec([[0x00], [0x01]]));
  const inputAt = Math.ceil((OUTPUT_AT + data.length) / 8) * 8;
  // one spare page for the host's input
  const pages = Math.ceil((inputAt + 65536) / 65536);
  const memory = section(5, vec([[0x00, ...uleb(pages)]]));
  const exportEntries: number[][] = [];
  if (!omit.has("memory")) exportEntries.push([...name("memory"), 0x02, 0x00]);
  if (!omit.has("alloc")) exportEntries.push([...name("alloc"), 0x00, ...uleb(funcBase)]);
  if (!omit.has("generate")) exportEntries.push([...name("generate"), 0x00, ...uleb(funcBase + 1)]);
  const exportsSection = section(7, vec(exportEntries));
  const allocBody = [0x00, 0x41, ...sleb(inputAt), 0x0b];
  const generateBody = opts.trap ? [0x00, 0x00, 0x0b] : [0x00, 0x41, ...sleb(opts.resultPtr ?? OUTPUT_AT), 0x0b];
  const code = section(10, vec([[...uleb(allocBody.length), ...allocBody], [...uleb(generateBody.length), ...generateBody]]));
  const dataSection = section(11, vec([[0x00, 0x41, ...sleb(OUTPUT_AT), 0x0b, ...uleb(data.length), ...data]]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...imports, ...funcs, ...memory, ...exportsSection, ...code, ...dataSection]);
}

export function tinyModule(opts: TinyModuleOptions = {}): Promise<WebAssembly.Module> {
  return compileInNode(tinyModuleBytes(opts));
}
