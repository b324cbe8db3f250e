/**
 * Minimal JSON for wasm agents: a tree parser for the host's input and a UTF-8 writer for
 * the output. Hand-written because the input is a small, fixed subset and the output must be
 * streamed into one growable buffer (string concatenation of 10,000-char values would be
 * quadratic). Malformed input aborts with a message the host turns into an Error.
 */

export const KIND_NULL: i32 = 0;
export const KIND_BOOL: i32 = 1;
export const KIND_NUM: i32 = 2;
export const KIND_STR: i32 = 3;
export const KIND_ARR: i32 = 4;
export const KIND_OBJ: i32 = 5;

/** One JSON value; objects keep key order (keys[i] ↔ values[i]). */
export class JValue {
  kind: i32 = KIND_NULL;
  b: bool = false;
  n: f64 = 0;
  s: string = "";
  items: JValue[] = [];
  keys: string[] = [];

  static str(s: string): JValue {
    const v = new JValue();
    v.kind = KIND_STR;
    v.s = s;
    return v;
  }

  static num(n: f64): JValue {
    const v = new JValue();
    v.kind = KIND_NUM;
    v.n = n;
    return v;
  }

  /** Member of an object, or null when absent (or when this is not an object). */
  get(key: string): JValue | null {
    if (this.kind != KIND_OBJ) return null;
    for (let i = 0; i < this.keys.length; i++) {
      if (this.keys[i] == key) return this.items[i];
    }
    return null;
  }

  has(key: string): bool {
    return this.get(key) !== null;
  }

  getString(key: string, fallback: string): string {
    const v = this.get(key);
    if (v === null || v.kind != KIND_STR) return fallback;
    return v.s;
  }

  getNumber(key: string, fallback: f64): f64 {
    const v = this.get(key);
    if (v === null || v.kind != KIND_NUM) return fallback;
    return v.n;
  }

  getBool(key: string, fallback: bool): bool {
    const v = this.get(key);
    if (v === null || v.kind != KIND_BOOL) return fallback;
    return v.b;
  }

  /** Elements of an array member; empty when absent or not an array. */
  getArray(key: string): JValue[] {
    const v = this.get(key);
    if (v === null || v.kind != KIND_ARR) return [];
    return v.items;
  }
}

/** Shortest decimal text of a finite number, as JavaScript would print it ("1", not "1.0"). */
export function numberText(x: f64): string {
  if (x == Math.trunc(x) && Math.abs(x) < 9007199254740992.0) return (<i64>x).toString();
  const text = x.toString();
  return text.endsWith(".0") ? text.substring(0, text.length - 2) : text;
}

export function parseJson(src: string): JValue {
  const p = new Parser(src);
  p.ws();
  const v = p.value(0);
  p.ws();
  if (p.pos != src.length) p.fail("trailing characters");
  return v;
}

const MAX_DEPTH: i32 = 256;

class Parser {
  pos: i32 = 0;
  constructor(public src: string) {}

  fail(msg: string): void {
    throw new Error("input JSON: " + msg + " at offset " + this.pos.toString());
  }

  ws(): void {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d) this.pos++;
      else break;
    }
  }

  peek(): i32 {
    return this.pos < this.src.length ? this.src.charCodeAt(this.pos) : -1;
  }

  expect(c: i32): void {
    if (this.peek() != c) this.fail("expected '" + String.fromCharCode(c) + "'");
    this.pos++;
  }

  literal(word: string): void {
    if (this.src.substr(this.pos, word.length) != word) this.fail("expected " + word);
    this.pos += word.length;
  }

  value(depth: i32): JValue {
    if (depth > MAX_DEPTH) this.fail("nesting too deep");
    const c = this.peek();
    const v = new JValue();
    if (c == 0x7b /* { */) {
      v.kind = KIND_OBJ;
      this.pos++;
      this.ws();
      if (this.peek() == 0x7d) {
        this.pos++;
        return v;
      }
      while (true) {
        this.ws();
        const key = this.string();
        this.ws();
        this.expect(0x3a /* : */);
        this.ws();
        v.keys.push(key);
        v.items.push(this.value(depth + 1));
        this.ws();
        if (this.peek() == 0x2c) {
          this.pos++;
          continue;
        }
        this.expect(0x7d);
        return v;
      }
    }
    if (c == 0x5b /* [ */) {
      v.kind = KIND_ARR;
      this.pos++;
      this.ws();
      if (this.peek() == 0x5d) {
        this.pos++;
        return v;
      }
      while (true) {
        this.ws();
        v.items.push(this.value(depth + 1));
        this.ws();
        if (this.peek() == 0x2c) {
          this.pos++;
          continue;
        }
        this.expect(0x5d);
        return v;
      }
    }
    if (c == 0x22) {
      v.kind = KIND_STR;
      v.s = this.string();
      return v;
    }
    if (c == 0x74) {
      this.literal("true");
      v.kind = KIND_BOOL;
      v.b = true;
      return v;
    }
    if (c == 0x66) {
      this.literal("false");
      v.kind = KIND_BOOL;
      return v;
    }
    if (c == 0x6e) {
      this.literal("null");
      return v;
    }
    if (c == 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = this.pos;
      while (this.pos < this.src.length) {
        const d = this.src.charCodeAt(this.pos);
        if ((d >= 0x30 && d <= 0x39) || d == 0x2d || d == 0x2b || d == 0x2e || d == 0x65 || d == 0x45) this.pos++;
        else break;
      }
      v.kind = KIND_NUM;
      v.n = parseFloat(this.src.substring(start, this.pos));
      if (isNaN(v.n)) this.fail("bad number");
      return v;
    }
    this.fail("unexpected character");
    return v;
  }

  string(): string {
    this.expect(0x22);
    const s = this.src;
    let out = "";
    let runStart = this.pos;
    while (true) {
      if (this.pos >= s.length) this.fail("unterminated string");
      const c = s.charCodeAt(this.pos);
      if (c == 0x22) {
        out += s.substring(runStart, this.pos);
        this.pos++;
        return out;
      }
      if (c != 0x5c) {
        this.pos++;
        continue;
      }
      out += s.substring(runStart, this.pos);
      this.pos++;
      const e = this.peek();
      this.pos++;
      if (e == 0x22) out += "\"";
      else if (e == 0x5c) out += "\\";
      else if (e == 0x2f) out += "/";
      else if (e == 0x62) out += "\b";
      else if (e == 0x66) out += "\f";
      else if (e == 0x6e) out += "\n";
      else if (e == 0x72) out += "\r";
      else if (e == 0x74) out += "\t";
      else if (e == 0x75) {
        if (this.pos + 4 > s.length) this.fail("bad \\u escape");
        const code = I32.parseInt(s.substr(this.pos, 4), 16);
        if (isNaN(<f64>code) || code < 0) this.fail("bad \\u escape");
        out += String.fromCharCode(code);
        this.pos += 4;
      } else this.fail("bad escape");
      runStart = this.pos;
    }
  }
}

const HEX = "0123456789abcdef";

/** Writes "uXXXX" (the backslash is already written) at p; returns the next free address. */
function writeUnicodeEscape(p: usize, c: u32): usize {
  store<u8>(p++, 0x75);
  for (let shift: i32 = 12; shift >= 0; shift -= 4) store<u8>(p++, <u8>HEX.charCodeAt((c >> shift) & 0xf));
  return p;
}

/**
 * Growable UTF-8 output buffer laid out as the ABI's result: [len: u32 LE][bytes].
 * Allocated with heap.alloc so the garbage collector never reclaims it.
 */
export class JsonWriter {
  ptr: usize;
  cap: usize = 1 << 16;
  len: usize = 0;

  constructor() {
    this.ptr = heap.alloc(this.cap + 4);
  }

  private reserve(n: usize): void {
    if (this.len + n <= this.cap) return;
    let cap = this.cap;
    while (this.len + n > cap) cap <<= 1;
    this.ptr = heap.realloc(this.ptr, cap + 4);
    this.cap = cap;
  }

  byte(b: u32): void {
    this.reserve(1);
    store<u8>(this.ptr + 4 + this.len, <u8>b);
    this.len++;
  }

  /** Raw ASCII text (punctuation, numbers, literals): no escaping. */
  raw(text: string): void {
    this.reserve(<usize>text.length);
    for (let i = 0; i < text.length; i++) store<u8>(this.ptr + 4 + this.len + <usize>i, <u8>text.charCodeAt(i));
    this.len += <usize>text.length;
  }

  /** A JSON string literal, UTF-8 encoded; lone surrogates are written as \u escapes. */
  str(s: string): void {
    const n = s.length;
    // worst case: every code unit becomes a 6-byte \u escape; reserving once keeps the loop check-free
    this.reserve(<usize>n * 6 + 2);
    const src = changetype<usize>(s);
    let p = this.ptr + 4 + this.len;
    store<u8>(p++, 0x22);
    for (let i = 0; i < n; i++) {
      const c = <u32>load<u16>(src + (<usize>i << 1));
      if (c >= 0x20 && c < 0x80 && c != 0x22 && c != 0x5c) {
        store<u8>(p++, <u8>c);
      } else if (c < 0x80) {
        store<u8>(p++, 0x5c);
        if (c == 0x22 || c == 0x5c) store<u8>(p++, <u8>c);
        else if (c == 0x0a) store<u8>(p++, 0x6e);
        else if (c == 0x0d) store<u8>(p++, 0x72);
        else if (c == 0x09) store<u8>(p++, 0x74);
        else p = writeUnicodeEscape(p, c);
      } else if (c < 0x800) {
        store<u8>(p++, <u8>(0xc0 | (c >> 6)));
        store<u8>(p++, <u8>(0x80 | (c & 0x3f)));
      } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (<u32>load<u16>(src + (<usize>(i + 1) << 1)) & 0xfc00) == 0xdc00) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (<u32>load<u16>(src + (<usize>(i + 1) << 1)) - 0xdc00);
        i++;
        store<u8>(p++, <u8>(0xf0 | (cp >> 18)));
        store<u8>(p++, <u8>(0x80 | ((cp >> 12) & 0x3f)));
        store<u8>(p++, <u8>(0x80 | ((cp >> 6) & 0x3f)));
        store<u8>(p++, <u8>(0x80 | (cp & 0x3f)));
      } else if (c >= 0xd800 && c <= 0xdfff) {
        store<u8>(p++, 0x5c);
        p = writeUnicodeEscape(p, c);
      } else {
        store<u8>(p++, <u8>(0xe0 | (c >> 12)));
        store<u8>(p++, <u8>(0x80 | ((c >> 6) & 0x3f)));
        store<u8>(p++, <u8>(0x80 | (c & 0x3f)));
      }
    }
    store<u8>(p++, 0x22);
    this.len = p - this.ptr - 4;
  }

  /** A JSON number; non-finite values become null (JSON has no NaN/Infinity). */
  num(x: f64): void {
    this.raw(isFinite(x) ? numberText(x) : "null");
  }

  bool(b: bool): void {
    this.raw(b ? "true" : "false");
  }

  /** Any parsed value, written back verbatim (used for examples and the base body). */
  value(v: JValue): void {
    if (v.kind == KIND_NULL) this.raw("null");
    else if (v.kind == KIND_BOOL) this.bool(v.b);
    else if (v.kind == KIND_NUM) this.num(v.n);
    else if (v.kind == KIND_STR) this.str(v.s);
    else if (v.kind == KIND_ARR) {
      this.byte(0x5b);
      for (let i = 0; i < v.items.length; i++) {
        if (i > 0) this.byte(0x2c);
        this.value(v.items[i]);
      }
      this.byte(0x5d);
    } else {
      this.byte(0x7b);
      for (let i = 0; i < v.keys.length; i++) {
        if (i > 0) this.byte(0x2c);
        this.str(v.keys[i]);
        this.byte(0x3a);
        this.value(v.items[i]);
      }
      this.byte(0x7d);
    }
  }

  /** `"key":` — the caller writes the value and the separators. */
  key(k: string): void {
    this.str(k);
    this.byte(0x3a);
  }

  /** Seals the buffer and returns the ABI result pointer. */
  finish(): usize {
    store<u32>(this.ptr, <u32>this.len);
    return this.ptr;
  }
}
