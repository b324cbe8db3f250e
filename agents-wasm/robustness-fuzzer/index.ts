/**
 * robustness-fuzzer — CATS-style robustness cases. For every string input of an operation
 * (path/query/header parameters, string properties of a JSON body at any depth the host lists:
 * `data.attributes.title` as much as `title`) it sends hostile-but-harmless strings (very long,
 * emoji, combining marks, RTL override, zero-width, full-width, other scripts, punctuation only,
 * control characters/NUL, surrounding whitespace); for every
 * numeric input it sends extremes (2^63, 1e308, negatives, a float where an integer is
 * expected). Any 4xx is a legitimate answer to such input, so the only oracle is
 * not_a_server_error. Everything else in the request is filled with valid-looking values
 * so the hostile value is what the server has to cope with. Deterministic from the seed.
 */
import { alloc, readInput, JsonWriter, JValue } from "../shared/abi";
import { KIND_BOOL, KIND_NUM, KIND_OBJ, KIND_STR, numberText } from "../shared/json";
import { hashString, Rng } from "../shared/prng";

export { alloc };

const DEFAULT_AGENT = "robustness-fuzzer";
const LONG_LENGTH: i32 = 10000;
/** Header values stay below the 8 KB header limit most servers have, so we probe the app, not the limit. */
const LONG_HEADER_LENGTH: i32 = 4096;

class Variant {
  isNumber: bool = false;
  text: string = "";
  num: f64 = 0;
  constructor(public tag: string, public label: string) {}

  static ofNumber(tag: string, label: string, num: f64): Variant {
    const v = new Variant(tag, label);
    v.isNumber = true;
    v.num = num;
    return v;
  }
}

/** One fuzzable input: a parameter or a JSON body property (`path`: member names from the top down to it). */
class Target {
  path: string[] = [];
  constructor(public loc: string, public name: string, public type: string, public spec: JValue) {}
}

class Pick {
  constructor(public target: Target, public variant: Variant) {}
}

// ---- hostile strings -------------------------------------------------------------------

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

const EMOJI: string[] = [
  "\uD83D\uDE00", // grinning face
  "\uD83D\uDD25", // fire
  "\uD83D\uDC69\u200D\uD83D\uDCBB", // woman technologist (ZWJ sequence)
  "\uD83C\uDDFA\uD83C\uDDF3", // flag (regional indicators)
  "\uD83D\uDC4D\uD83C\uDFFD", // thumbs up + skin tone
  "\uD83E\uDDEA", // test tube
  "\u2764\uFE0F", // heart + variation selector
  "\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08", // rainbow flag
  "\uD83E\uDD16", // robot
  "\uD83D\uDCA9", // pile of poo
];

function longText(rng: Rng, length: i32): string {
  let unit = "";
  for (let i = 0; i < 7; i++) unit += ALNUM.charAt(rng.below(ALNUM.length));
  return unit.repeat(length / 7 + 1).substring(0, length);
}

function emojiText(rng: Rng): string {
  let s = "";
  for (let i = 0; i < 8; i++) s += EMOJI[rng.below(EMOJI.length)];
  return s;
}

/** "Zalgo" text: each letter carries 3-8 combining diacritical marks (U+0300-U+036F). */
function combiningText(rng: Rng): string {
  const base = "robust";
  let s = "";
  for (let i = 0; i < base.length; i++) {
    s += base.charAt(i);
    const marks = 3 + rng.below(6);
    for (let m = 0; m < marks; m++) s += String.fromCharCode(0x300 + rng.below(0x70));
  }
  return s;
}

/** Full-width forms (U+FF01-U+FF5E) and the ideographic space. */
function fullwidthText(rng: Rng): string {
  let s = "";
  for (let i = 0; i < 10; i++) s += String.fromCharCode(0xff01 + rng.below(0x5e));
  return s + "\u3000" + "\uFF54\uFF45\uFF53\uFF54";
}

const RTL_OVERRIDE = "invoice\u202Efdp.exe\u202C \u2067\u05E9\u05DC\u05D5\u05DD\u2069";
const ZERO_WIDTH = "a\u200Bb\u200Cc\u200Dd\u2060e\uFEFFf";
const MULTI_SCRIPT = "日本語テキスト العربية עברית Ελληνικά Кириллица हिन्दी 한국어";
const CONTROL_CHARS = "a\u0000b\u0001c\u0007d\u0008e\u001B[31mf\u007Fg\r\nh\u0085i";
const LATIN1 = "caf\u00E9 na\u00EFve \u00FF\u00DF\u00A0\u00BF";
/** No letter or digit at all: code that derives something from the text's letters finds none. */
const PUNCTUATION = "!?.,;:-_()[]{}'\"/\\@#%&*+=<>|~^$`";

/** Raw UTF-8 bytes of `s` as one char per byte: the only way to put non-Latin-1 text on a header line. */
function utf8AsLatin1(s: string): string {
  const bytes = Uint8Array.wrap(String.UTF8.encode(s));
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]);
  return out;
}

/**
 * The string variants for an input at `loc`. Only tags and labels: the text of a variant is
 * made by hostileText() once it is picked, so big specs do not build thousands of unused
 * 10,000-character strings.
 */
function stringVariants(loc: string): Variant[] {
  const out: Variant[] = [];
  if (loc == "header") {
    // fetch() refuses header values with NUL/CR/LF, code points above U+00FF or
    // surrounding whitespace, so headers get byte-level equivalents of the same ideas.
    out.push(new Variant("long-string", LONG_HEADER_LENGTH.toString() + "-character string"));
    out.push(new Variant("latin1", "Latin-1 bytes (invalid UTF-8)"));
    out.push(new Variant("utf8-emoji", "raw UTF-8 emoji bytes"));
    out.push(new Variant("utf8-rtl-override", "raw UTF-8 right-to-left override"));
    out.push(new Variant("inner-tab", "embedded tabs"));
    return out;
  }
  out.push(new Variant("long-string", LONG_LENGTH.toString() + "-character string"));
  out.push(new Variant("emoji", "emoji and ZWJ sequences"));
  out.push(new Variant("combining-marks", "stacked combining marks"));
  out.push(new Variant("rtl-override", "right-to-left override U+202E"));
  out.push(new Variant("zero-width", "zero-width characters U+200B"));
  out.push(new Variant("fullwidth", "full-width characters"));
  out.push(new Variant("multi-script", "mixed scripts"));
  out.push(new Variant("punctuation", "punctuation only"));
  out.push(new Variant("control-chars", "control characters and NUL"));
  out.push(new Variant("whitespace", "leading and trailing whitespace"));
  return out;
}

function hostileText(tag: string, loc: string, filler: string, rng: Rng): string {
  if (tag == "long-string") return longText(rng, loc == "header" ? LONG_HEADER_LENGTH : LONG_LENGTH);
  if (tag == "latin1") return LATIN1;
  if (tag == "utf8-emoji") return utf8AsLatin1(emojiText(rng));
  if (tag == "utf8-rtl-override") return utf8AsLatin1(RTL_OVERRIDE);
  if (tag == "inner-tab") return filler + "\t\t" + filler;
  if (tag == "emoji") return emojiText(rng);
  if (tag == "combining-marks") return combiningText(rng);
  if (tag == "rtl-override") return RTL_OVERRIDE;
  if (tag == "zero-width") return ZERO_WIDTH;
  if (tag == "fullwidth") return fullwidthText(rng);
  if (tag == "multi-script") return MULTI_SCRIPT;
  if (tag == "punctuation") return PUNCTUATION;
  if (tag == "control-chars") return CONTROL_CHARS;
  return "  \t" + filler + " \t ";
}

function numberVariants(type: string): Variant[] {
  const out: Variant[] = [];
  if (type == "integer") {
    out.push(Variant.ofNumber("int32-overflow", "2^31 (int32 overflow)", 2147483648.0));
    out.push(Variant.ofNumber("int64-overflow", "2^63 (int64 overflow)", 9223372036854775808.0));
    out.push(Variant.ofNumber("int64-underflow", "-1e19 (below int64 minimum)", -1e19));
    out.push(Variant.ofNumber("negative", "-1", -1.0));
    out.push(Variant.ofNumber("float-for-integer", "1.5 where an integer is expected", 1.5));
    out.push(Variant.ofNumber("huge-exponent", "1e308", 1e308));
    return out;
  }
  out.push(Variant.ofNumber("huge", "1e308", 1e308));
  out.push(Variant.ofNumber("huge-negative", "-1e308", -1e308));
  out.push(Variant.ofNumber("negative", "-1", -1.0));
  out.push(Variant.ofNumber("denormal", "5e-324 (smallest double)", 5e-324));
  return out;
}

function shuffle<T>(items: T[], rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
}

// ---- valid-looking fillers -------------------------------------------------------------

function isNumeric(type: string): bool {
  return type == "integer" || type == "number";
}

/** example (the host's valid-looking pick) → enum[0] → a value of the declared type. */
function writeFiller(w: JsonWriter, spec: JValue): void {
  const example = spec.get("example");
  if (example !== null) {
    w.value(example);
    return;
  }
  const enums = spec.getArray("enum");
  if (enums.length > 0) {
    w.value(enums[0]);
    return;
  }
  const type = spec.getString("type", "string");
  if (isNumeric(type)) w.num(1);
  else if (type == "boolean") w.bool(true);
  else if (type == "array") w.raw("[\"1\"]");
  else if (type == "object") w.raw("{}");
  else w.str("1");
}

function scalarText(v: JValue): string {
  if (v.kind == KIND_STR) return v.s;
  if (v.kind == KIND_NUM) return numberText(v.n);
  if (v.kind == KIND_BOOL) return v.b ? "true" : "false";
  return "1";
}

/** Filler as text, for headers, cookies and whitespace padding. */
function fillerText(spec: JValue): string {
  const example = spec.get("example");
  if (example !== null) return scalarText(example);
  const enums = spec.getArray("enum");
  if (enums.length > 0) return scalarText(enums[0]);
  const type = spec.getString("type", "string");
  if (type == "boolean") return "true";
  return "1";
}

// ---- case writing ----------------------------------------------------------------------

function writeHostile(w: JsonWriter, v: Variant, asText: bool): void {
  if (!v.isNumber) w.str(v.text);
  else if (asText) w.str(numberText(v.num));
  else w.num(v.num);
}

/** One object of parameters at `loc`: every path param, required others, and the target. */
function writeParams(w: JsonWriter, params: JValue[], loc: string, pick: Pick, asText: bool): void {
  w.byte(0x7b);
  let first = true;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p.getString("in", "") != loc) continue;
    const name = p.getString("name", "");
    const isTarget = pick.target.loc == loc && pick.target.name == name;
    if (!isTarget && loc != "path" && !p.getBool("required", false)) continue;
    if (!first) w.byte(0x2c);
    first = false;
    w.key(name);
    if (isTarget) writeHostile(w, pick.variant, asText);
    else if (asText) w.str(fillerText(p));
    else writeFiller(w, p);
  }
  w.byte(0x7d);
}

function hasRequired(params: JValue[], loc: string): bool {
  for (let i = 0; i < params.length; i++) {
    if (params[i].getString("in", "") == loc && params[i].getBool("required", false)) return true;
  }
  return false;
}

/** The host's base body with the target property replaced (or added), however deep it sits. */
function writeBody(w: JsonWriter, body: JValue, pick: Pick): void {
  const base = body.get("base");
  if (base !== null && base.kind != KIND_OBJ) {
    // A non-object body (array, scalar) has no properties to fuzz: send it as given.
    w.value(base);
    return;
  }
  if (pick.target.loc != "body") {
    if (base !== null) w.value(base);
    else w.raw("{}");
    return;
  }
  writeObjectWith(w, base, pick.target.path, 0, pick.variant);
}

/** An object (`node`, or an empty one) with the member at path[depth..] replaced by the variant. */
function writeObjectWith(w: JsonWriter, node: JValue | null, path: string[], depth: i32, variant: Variant): void {
  const key = path[depth];
  const leaf = depth == path.length - 1;
  w.byte(0x7b);
  let first = true;
  let replaced = false;
  if (node !== null) {
    for (let i = 0; i < node.keys.length; i++) {
      if (!first) w.byte(0x2c);
      first = false;
      w.key(node.keys[i]);
      if (node.keys[i] != key) w.value(node.items[i]);
      else {
        replaced = true;
        if (leaf) writeHostile(w, variant, false);
        else if (node.items[i].kind == KIND_OBJ) writeObjectWith(w, node.items[i], path, depth + 1, variant);
        else w.value(node.items[i]);
      }
    }
  }
  if (!replaced) {
    if (!first) w.byte(0x2c);
    w.key(key);
    if (leaf) writeHostile(w, variant, false);
    else writeObjectWith(w, null, path, depth + 1, variant);
  }
  w.byte(0x7d);
}

function writeCase(w: JsonWriter, agent: string, op: JValue, pick: Pick): void {
  const operationId = op.getString("operationId", "");
  const params = op.getArray("params");
  const body = op.get("body");
  const t = pick.target;
  w.byte(0x7b);
  w.key("id");
  w.str(agent + ":" + operationId + ":" + t.loc + "." + t.name + ":" + pick.variant.tag);
  w.raw(",");
  w.key("agent");
  w.str(agent);
  w.raw(",");
  w.key("operationId");
  w.str(operationId);
  w.raw(",\"kind\":\"negative\",");
  w.key("title");
  w.str("Robustness: " + t.loc + " \"" + t.name + "\" = " + pick.variant.label);
  w.raw(",\"tags\":[\"robustness\",");
  w.str(pick.variant.tag);
  w.raw("],\"steps\":[{\"id\":\"fuzz\",\"request\":{");
  w.key("method");
  w.str(op.getString("method", "get"));
  w.raw(",");
  w.key("path");
  w.str(op.getString("path", "/"));
  w.raw(",\"pathParams\":");
  writeParams(w, params, "path", pick, false);
  w.raw(",\"query\":");
  writeParams(w, params, "query", pick, false);
  w.raw(",\"headers\":");
  writeParams(w, params, "header", pick, true);
  if (hasRequired(params, "cookie")) {
    w.raw(",\"cookies\":");
    writeParams(w, params, "cookie", pick, true);
  }
  if (body !== null) {
    w.raw(",\"body\":{");
    w.key("contentType");
    w.str(body.getString("contentType", "application/json"));
    w.raw(",\"value\":");
    writeBody(w, body, pick);
    w.raw("}");
  }
  w.raw("},\"checks\":[{\"name\":\"not_a_server_error\"}]}]}");
}

// ---- planning --------------------------------------------------------------------------

/** A body property: `path` from the host for a nested one, else its name at the top. */
function bodyTarget(spec: JValue, type: string): Target {
  const target = new Target("body", spec.getString("name", ""), type, spec);
  const path = spec.getArray("path");
  for (let i = 0; i < path.length; i++) target.path.push(path[i].s);
  if (target.path.length == 0) target.path.push(target.name);
  return target;
}

function collectTargets(op: JValue): Target[] {
  const targets: Target[] = [];
  const params = op.getArray("params");
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    const loc = p.getString("in", "");
    if (loc != "path" && loc != "query" && loc != "header") continue;
    const type = p.getString("type", "string");
    if (type == "string" || isNumeric(type)) targets.push(new Target(loc, p.getString("name", ""), type, p));
  }
  const body = op.get("body");
  if (body !== null) {
    const strings = body.getArray("stringProps");
    for (let i = 0; i < strings.length; i++) targets.push(bodyTarget(strings[i], "string"));
    const numbers = body.getArray("numberProps");
    for (let i = 0; i < numbers.length; i++) targets.push(bodyTarget(numbers[i], numbers[i].getString("type", "number")));
  }
  return targets;
}

/** Round-robin over the (shuffled) targets so a small budget still touches every input. */
function planOperation(op: JValue, rng: Rng, maxCases: i32): Pick[] {
  const targets = collectTargets(op);
  shuffle<Target>(targets, rng);
  const perTarget: Variant[][] = [];
  let rounds = 0;
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i];
    const variants = isNumeric(t.type) ? numberVariants(t.type) : stringVariants(t.loc);
    shuffle<Variant>(variants, rng);
    perTarget.push(variants);
    if (variants.length > rounds) rounds = variants.length;
  }
  const picks: Pick[] = [];
  for (let r = 0; r < rounds && picks.length < maxCases; r++) {
    for (let i = 0; i < targets.length && picks.length < maxCases; i++) {
      if (r < perTarget[i].length) picks.push(new Pick(targets[i], perTarget[i][r]));
    }
  }
  for (let k = 0; k < picks.length; k++) {
    const pick = picks[k];
    if (!pick.variant.isNumber) pick.variant.text = hostileText(pick.variant.tag, pick.target.loc, fillerText(pick.target.spec), rng);
  }
  return picks;
}

/** ABI entry point: input JSON at [inPtr, inPtr+inLen) → pointer to [len u32][TestCase[] JSON]. */
export function generate(inPtr: i32, inLen: i32): i32 {
  const input = readInput(inPtr, inLen);
  const agent = input.getString("agent", DEFAULT_AGENT);
  const seed = <u32>(<i64>input.getNumber("seed", 0));
  const maxCases = <i32>input.getNumber("maxCasesPerOperation", 20);
  const operations = input.getArray("operations");
  const w = new JsonWriter();
  w.byte(0x5b);
  let first = true;
  for (let i = 0; i < operations.length; i++) {
    const op = operations[i];
    // Each operation has its own stream: adding an operation does not reshuffle the others.
    const rng = new Rng(seed ^ hashString(op.getString("operationId", "")));
    const picks = planOperation(op, rng, maxCases);
    for (let k = 0; k < picks.length; k++) {
      if (!first) w.byte(0x2c);
      first = false;
      writeCase(w, agent, op, picks[k]);
    }
  }
  w.byte(0x5d);
  return <i32>w.finish();
}
