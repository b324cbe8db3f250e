/** What each bundled wasm agent does: shared by the Worker registry and Node tests/tools. */
export const WASM_AGENT_DESCRIPTIONS = {
  "robustness-fuzzer":
    "CATS-style robustness: very long, unicode (emoji, combining marks, RTL override, zero-width, full-width), " +
    "punctuation-only, control-character and whitespace-padded strings and numeric extremes in every input (nested body members too); expects no 5xx. " +
    "AssemblyScript compiled to WebAssembly.",
} as const;
