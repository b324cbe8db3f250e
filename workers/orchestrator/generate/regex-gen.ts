/**
 * Strings that match a JSON Schema `pattern`, for the common subset of ECMAScript regexes found in
 * API descriptions: literals, escapes (\d \w \s ...), classes with ranges and negation, groups,
 * alternation and quantifiers. Lookarounds and backreferences are not supported: the caller then
 * falls back to examples. Every result is checked with RegExp(pattern, "u") before it is returned.
 */
import { normalisePattern } from "../../jsonschema/pattern";
import type { Rng } from "./random";
import { codePointLength } from "../../jsonschema/string-length";

type Node =
  | { kind: "chars"; set: string[] } // one character out of the set
  | { kind: "group"; alternatives: Node[][] }
  | { kind: "repeat"; node: Node; min: number; max: number }
  | { kind: "empty" };

class Unsupported extends Error {}

const DIGITS = "0123456789".split("");
const WORD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_".split("");
const SPACE = [" "];
/** printable ASCII without braces (so no generated text ever looks like a "{{variable}}") */
const PRINTABLE = Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i)).filter((c) => c !== "{" && c !== "}");

function complement(set: string[]): string[] {
  const excluded = new Set(set);
  return PRINTABLE.filter((c) => !excluded.has(c));
}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.pos < this.src.length) throw new Unsupported("trailing input");
    return node;
  }

  private peek(): string | undefined {
    return this.src[this.pos];
  }

  private alternation(): Node {
    const alternatives: Node[][] = [this.sequence()];
    while (this.peek() === "|") {
      this.pos++;
      alternatives.push(this.sequence());
    }
    return { kind: "group", alternatives };
  }

  private sequence(): Node[] {
    const items: Node[] = [];
    while (this.pos < this.src.length && this.peek() !== "|" && this.peek() !== ")") {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return items;
  }

  private quantified(node: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === "*") [min, max] = [0, Infinity];
    else if (c === "+") [min, max] = [1, Infinity];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!m) return node; // a literal brace
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      this.pos += m[0].length - 1;
    } else return node;
    this.pos++;
    if (this.peek() === "?") this.pos++; // lazy: same language
    return { kind: "repeat", node, min, max };
  }

  private atom(): Node {
    const c = this.src[this.pos++];
    switch (c) {
      case "^":
      case "$":
        return { kind: "empty" };
      case ".":
        return { kind: "chars", set: PRINTABLE.filter((ch) => ch !== "\n") };
      case "[":
        return this.charClass();
      case "(": {
        if (this.src.startsWith("?:", this.pos)) this.pos += 2;
        else if (this.src.startsWith("?<", this.pos) && !/^\?<[=!]/.test(this.src.slice(this.pos))) {
          const close = this.src.indexOf(">", this.pos);
          if (close < 0) throw new Unsupported("group name");
          this.pos = close + 1;
        } else if (this.peek() === "?") throw new Unsupported("lookaround");
        const inner = this.alternation();
        if (this.src[this.pos++] !== ")") throw new Unsupported("unclosed group");
        return inner;
      }
      case "\\":
        return { kind: "chars", set: this.escape(false) };
      case ")":
      case "*":
      case "+":
      case "?":
        throw new Unsupported("dangling " + c);
      default:
        return { kind: "chars", set: [c] };
    }
  }

  /** an escape after the backslash; inside a class \b is a backspace, outside an assertion */
  private escape(inClass: boolean): string[] {
    const c = this.src[this.pos++];
    switch (c) {
      case "d":
        return DIGITS;
      case "D":
        return complement(DIGITS);
      case "w":
        return WORD;
      case "W":
        return complement(WORD);
      case "s":
        return SPACE;
      case "S":
        return complement([" ", "\t", "\n", "\r"]);
      case "t":
        return ["\t"];
      case "n":
        return ["\n"];
      case "r":
        return ["\r"];
      case "b":
        if (inClass) return ["\b"];
        throw new Unsupported("word boundary");
      case "u": {
        const m = /^(\{[0-9a-fA-F]+\}|[0-9a-fA-F]{4})/.exec(this.src.slice(this.pos));
        if (!m) throw new Unsupported("bad \\u");
        this.pos += m[0].length;
        return [String.fromCodePoint(parseInt(m[0].replace(/[{}]/g, ""), 16))];
      }
      case "x": {
        const hex = this.src.slice(this.pos, this.pos + 2);
        this.pos += 2;
        return [String.fromCharCode(parseInt(hex, 16))];
      }
      case undefined:
        throw new Unsupported("trailing backslash");
      default:
        if (/[1-9]/.test(c) || c === "k" || c === "p" || c === "P" || c === "B") throw new Unsupported("escape \\" + c);
        return [c];
    }
  }

  private charClass(): Node {
    let negated = false;
    if (this.peek() === "^") {
      negated = true;
      this.pos++;
    }
    const set = new Set<string>();
    let first = true;
    while (this.pos < this.src.length && (this.peek() !== "]" || first)) {
      first = false;
      let from: string[];
      if (this.peek() === "\\") {
        this.pos++;
        from = this.escape(true);
      } else from = [this.src[this.pos++]];
      if (from.length === 1 && this.peek() === "-" && this.src[this.pos + 1] !== "]" && this.pos + 1 < this.src.length) {
        this.pos++;
        let to: string[];
        if (this.peek() === "\\") {
          this.pos++;
          to = this.escape(true);
        } else to = [this.src[this.pos++]];
        if (to.length !== 1) throw new Unsupported("class range");
        const lo = from[0].codePointAt(0)!;
        const hi = to[0].codePointAt(0)!;
        // cap huge unicode ranges: a sample is enough to generate
        for (let cp = lo; cp <= hi && cp - lo < 256; cp++) set.add(String.fromCodePoint(cp));
      } else for (const ch of from) set.add(ch);
    }
    if (this.src[this.pos++] !== "]") throw new Unsupported("unclosed class");
    const members = [...set];
    const chars = negated ? complement(members) : members;
    if (chars.length === 0) throw new Unsupported("empty class");
    return { kind: "chars", set: chars };
  }
}

function emit(node: Node, rng: Rng, extra: number, out: string[], fixed = false): void {
  switch (node.kind) {
    case "empty":
      return;
    case "chars": {
      // prefer friendly characters when the set offers them
      const friendly = node.set.filter((c) => /[A-Za-z0-9]/.test(c));
      out.push(friendly.length > 0 && rng.bool(0.85) ? rng.pick(friendly) : rng.pick(node.set));
      return;
    }
    case "group": {
      const seq = rng.pick(node.alternatives);
      for (const item of seq) emit(item, rng, extra, out, fixed);
      return;
    }
    case "repeat": {
      const cap = Math.min(node.max, node.min + extra);
      const count = fixed ? cap : rng.int(node.min, cap);
      for (let i = 0; i < count; i++) emit(node.node, rng, extra, out, fixed);
    }
  }
}

export interface PatternOptions {
  minLength?: number;
  maxLength?: number;
}

const parsedCache = new Map<string, Node | null>();

function parsePattern(pattern: string): Node | null {
  if (parsedCache.has(pattern)) return parsedCache.get(pattern)!;
  let node: Node | null;
  try {
    node = new Parser(pattern).parse();
  } catch {
    node = null;
  }
  if (parsedCache.size > 5000) parsedCache.clear();
  parsedCache.set(pattern, node);
  return node;
}

export function compilePattern(pattern: string): RegExp | undefined {
  try {
    return new RegExp(normalisePattern(pattern), "u");
  } catch {
    return undefined;
  }
}

/** A string matching `pattern` within the length bounds, or undefined when none was found. */
export function generateFromPattern(pattern: string, rng: Rng, options: PatternOptions = {}): string | undefined {
  const regex = compilePattern(pattern);
  const node = parsePattern(normalisePattern(pattern));
  if (!regex || !node) return undefined;
  const minLength = options.minLength ?? 0;
  const maxLength = options.maxLength ?? Infinity;
  for (const extra of [2, 0, 4, 8, 16, 32, 64, 128]) {
    for (let attempt = 0; attempt < 4; attempt++) {
      const out: string[] = [];
      emit(node, rng, extra, out);
      const text = out.join("");
      const length = codePointLength(text);
      if (length >= minLength && length <= maxLength && regex.test(text) && !text.includes("{{")) return text;
    }
  }
  // long minimum lengths: grow every repetition by the same amount until the length fits
  for (let extra = 0; extra <= Math.min(256, Number.isFinite(maxLength) ? maxLength : 256); extra++) {
    const out: string[] = [];
    emit(node, rng, extra, out, true);
    const text = out.join("");
    const length = codePointLength(text);
    if (length > maxLength) break;
    if (length >= minLength && regex.test(text) && !text.includes("{{")) return text;
  }
  return undefined;
}

/** One string a pattern's length quantifier refuses, made of the characters the pattern allows. */
export interface LengthViolation {
  text: string;
  /** one repetition short of the quantifier's minimum (else one over its maximum) */
  short: boolean;
}

/** The items of a sequence, single-alternative groups inlined: `^(?:[A-Z]{2}[0-9]{3})$` reads as its parts. */
function flatSequence(node: Node): Node[] | undefined {
  if (node.kind !== "group") return [node];
  if (node.alternatives.length !== 1) return undefined;
  const items: Node[] = [];
  for (const item of node.alternatives[0]) {
    const inner = item.kind === "group" && item.alternatives.length === 1 ? flatSequence(item) : [item];
    if (!inner) return undefined;
    items.push(...inner);
  }
  return items;
}

/** The shortest text of a node, its characters picked in turn from the friendly ones (letters, digits). */
function emitShortest(node: Node, out: string[], count = node.kind === "repeat" ? node.min : 1): void {
  if (node.kind === "chars") {
    const friendly = node.set.filter((c) => /[A-Za-z0-9]/.test(c));
    const from = friendly.length > 0 ? friendly : node.set;
    for (let i = 0; i < count; i++) out.push(from[out.length % from.length]);
  } else if (node.kind === "group") for (const item of node.alternatives[0]) emitShortest(item, out);
  else if (node.kind === "repeat") for (let i = 0; i < count; i++) emitShortest(node.node, out);
}

/**
 * For a pattern that is a sequence of character classes and literals (`^[A-HJ-NPR-Z0-9]{17}$`,
 * `^[0-9]{4}-[0-9]{2}$`, `^[A-Z]{3}[0-9]+$`): the shortest matching text with one quantified class
 * one character short of its minimum or one over its maximum, each kept only when the pattern
 * (RegExp, as the validator reads it) refuses it and the text is not empty. A server that checks
 * the alphabet but not the length accepts these.
 */
export function patternLengthViolations(pattern: string): LengthViolation[] {
  const regex = compilePattern(pattern);
  const node = parsePattern(normalisePattern(pattern));
  const items = node ? flatSequence(node) : undefined;
  if (!regex || !items) return [];
  const text = (at: number, count: number) => {
    const out: string[] = [];
    items.forEach((item, i) => (i === at && item.kind === "repeat" ? emitShortest(item.node, out, count) : emitShortest(item, out)));
    return out.join("");
  };
  // the shortest text must match, else no one-off variant of it says anything about the length
  if (!regex.test(text(-1, 0))) return [];
  const out: LengthViolation[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (item.kind !== "repeat" || item.node.kind !== "chars") return;
    const counts: [number, boolean][] = [];
    if (item.min >= 1) counts.push([item.min - 1, true]);
    if (Number.isFinite(item.max) && item.max < 256) counts.push([item.max + 1, false]);
    for (const [count, short] of counts) {
      const candidate = text(i, count);
      if (candidate === "" || seen.has(candidate) || regex.test(candidate) || candidate.includes("{{")) continue;
      seen.add(candidate);
      out.push({ text: candidate, short });
    }
  });
  return out;
}
