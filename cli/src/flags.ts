/**
 * Reading `--flag value`, `--flag=value`, `--flag` and `--no-flag` with node:util parseArgs, for
 * every command's flag table. parseArgs tokenises (non-strict, so the messages stay ours: one
 * per mistake, exit 2); this file turns its tokens into (flag, value) pairs or a CliError.
 */
import { parseArgs } from "node:util";
import { CliError } from "./exit-codes";

export interface FlagSpec {
  /** bool flags take no value; every other kind takes one */
  kind: string;
  arg?: string;
}

export interface FlagValue {
  /** the flag's name in the table (without "no-") */
  flag: string;
  /** the name as typed, for messages */
  name: string;
  /** "true"/"false" for bool flags */
  value: string;
}

export interface ReadOptions {
  /** accept `--no-<bool flag>` as false */
  negation?: boolean;
  /** the message for a flag not in the table */
  unknown: (name: string) => string;
}

/** Flags only: any other argument is a usage error. */
export function readFlags(args: readonly string[], table: Readonly<Record<string, FlagSpec>>, options: ReadOptions): FlagValue[] {
  return read(args, table, options, undefined);
}

/** Flags and, between them, positional arguments (e.g. `sentinel oracles accept <id>…`), in order. */
export function readFlagsAndPositionals(args: readonly string[], table: Readonly<Record<string, FlagSpec>>, options: ReadOptions): { flags: FlagValue[]; positionals: string[] } {
  const positionals: string[] = [];
  return { flags: read(args, table, options, positionals), positionals };
}

function read(args: readonly string[], table: Readonly<Record<string, FlagSpec>>, options: ReadOptions, positionals: string[] | undefined): FlagValue[] {
  const isBool = (name: string) => table[name]?.kind === "bool";
  const { tokens } = parseArgs({
    args: [...args],
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: Object.fromEntries(Object.keys(table).map((name) => [name, { type: isBool(name) ? "boolean" : "string" } as const])),
  });
  const out: FlagValue[] = [];
  for (const token of tokens) {
    const raw = args[token.index];
    if (positionals && token.kind === "positional" && !raw.startsWith("-")) {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== "option" || !raw.startsWith("--") || raw === "--") throw new CliError(`unexpected argument "${raw}" (flags start with --)`, "usage");
    const name = token.name;
    const negated = options.negation === true && name.startsWith("no-") && isBool(name.slice(3));
    const flag = negated ? name.slice(3) : name;
    const spec = table[flag];
    if (!spec) throw new CliError(options.unknown(name), "usage");
    if (spec.kind === "bool") {
      if (token.inlineValue) throw new CliError(`--${name} takes no value`, "usage");
      out.push({ flag, name, value: negated ? "false" : "true" });
      continue;
    }
    // parseArgs takes the next argument as the value whatever it is; another known flag there means the value is missing.
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith("--") && table[value.slice(2).split("=")[0]])) {
      throw new CliError(`--${name} needs a value (${spec.arg})`, "usage");
    }
    out.push({ flag, name, value });
  }
  return out;
}
