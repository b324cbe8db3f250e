// A small SQL WHERE-clause evaluator (SQLite-like semantics) for the buggy variant's
// string-built patient search: it behaves like the database would on whatever text ends up in it.
// compileWhere(text) returns row => boolean, or throws on a syntax error or unknown column/function.

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'LIKE', 'IS', 'NULL', 'TRUE', 'FALSE', 'GLOB']);
const FUNCTIONS = {
  LOWER: (s) => (s === null ? null : String(s).toLowerCase()),
  UPPER: (s) => (s === null ? null : String(s).toUpperCase()),
  LENGTH: (s) => (s === null ? null : [...String(s)].length),
  ABS: (n) => (n === null ? null : Math.abs(toNumber(n))),
};

function tokenize(src) {
  const out = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (src.startsWith('--', i)) {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? src.length : nl + 1;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 2;
    } else if (c === "'") {
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= src.length) throw new Error('unrecognized token: unterminated string');
        if (src[j] === "'") {
          if (src[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += src[j++];
      }
      out.push({ t: 'str', v: text });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i));
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
      const up = m[0].toUpperCase();
      out.push(KEYWORDS.has(up) ? { t: 'kw', v: up } : { t: 'id', v: m[0] });
      i += m[0].length;
    } else {
      const op = ['<=', '>=', '<>', '!=', '==', '||', '=', '<', '>', '(', ')', ',', ';'].find((o) => src.startsWith(o, i));
      if (!op) throw new Error(`unrecognized token: "${c}"`);
      out.push({ t: 'op', v: op });
      i += op.length;
    }
  }
  // A trailing ";" ends the statement; anything after it is a second statement.
  const semi = out.findIndex((t) => t.t === 'op' && t.v === ';');
  if (semi >= 0) {
    if (semi !== out.length - 1) throw new Error('you can only execute one statement at a time');
    out.pop();
  }
  return out;
}

function toNumber(v) {
  if (v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^\s*[-+]?[0-9]*\.?[0-9]+/.exec(v);
  return m ? Number(m[0]) : 0;
}
const truthy = (v) => v !== null && toNumber(v) !== 0;

function compare(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number') return -1; // numbers sort before text
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function like(value, pattern) {
  let re = '^';
  for (const ch of pattern) {
    if (ch === '%') re += '[\\s\\S]*';
    else if (ch === '_') re += '[\\s\\S]';
    else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`${re}$`, 'i').test(value);
}

function parse(tokens) {
  let pos = 0;
  const peek = () => tokens[pos];
  const isKw = (v) => peek()?.t === 'kw' && peek().v === v;
  const isOp = (...vs) => peek()?.t === 'op' && vs.includes(peek().v);
  const near = () => (peek() ? `near "${peek().v}"` : 'incomplete input');

  function orExpr() {
    let left = andExpr();
    while (isKw('OR')) {
      pos++;
      const l = left;
      const r = andExpr();
      left = (row) => {
        const a = l(row);
        const b = r(row);
        if (truthy(a) || truthy(b)) return 1;
        return a === null || b === null ? null : 0;
      };
    }
    return left;
  }
  function andExpr() {
    let left = notExpr();
    while (isKw('AND')) {
      pos++;
      const l = left;
      const r = notExpr();
      left = (row) => {
        const a = l(row);
        const b = r(row);
        if ((a !== null && !truthy(a)) || (b !== null && !truthy(b))) return 0;
        return a === null || b === null ? null : 1;
      };
    }
    return left;
  }
  function notExpr() {
    if (isKw('NOT')) {
      pos++;
      const e = notExpr();
      return (row) => {
        const v = e(row);
        return v === null ? null : truthy(v) ? 0 : 1;
      };
    }
    return cmpExpr();
  }
  function cmpExpr() {
    const left = concatExpr();
    if (isOp('=', '==', '!=', '<>', '<', '>', '<=', '>=')) {
      const op = tokens[pos++].v;
      const right = concatExpr();
      return (row) => {
        const a = left(row);
        const b = right(row);
        if (a === null || b === null) return null;
        const c = compare(a, b);
        const r = { '=': c === 0, '==': c === 0, '!=': c !== 0, '<>': c !== 0, '<': c < 0, '>': c > 0, '<=': c <= 0, '>=': c >= 0 }[op];
        return r ? 1 : 0;
      };
    }
    let negate = false;
    if (isKw('NOT') && tokens[pos + 1]?.t === 'kw' && tokens[pos + 1].v === 'LIKE') {
      negate = true;
      pos++;
    }
    if (isKw('LIKE')) {
      pos++;
      const right = concatExpr();
      return (row) => {
        const a = left(row);
        const b = right(row);
        if (a === null || b === null) return null;
        return like(String(a), String(b)) !== negate ? 1 : 0;
      };
    }
    if (isKw('IS')) {
      pos++;
      let not = false;
      if (isKw('NOT')) {
        not = true;
        pos++;
      }
      if (!isKw('NULL')) throw new Error(`syntax error ${near()}`);
      pos++;
      return (row) => ((left(row) === null) !== not ? 1 : 0);
    }
    return left;
  }
  function concatExpr() {
    let left = primary();
    while (isOp('||')) {
      pos++;
      const l = left;
      const r = primary();
      left = (row) => {
        const a = l(row);
        const b = r(row);
        return a === null || b === null ? null : `${a}${b}`;
      };
    }
    return left;
  }
  function primary() {
    const tok = peek();
    if (!tok) throw new Error('incomplete input');
    pos++;
    if (tok.t === 'str' || tok.t === 'num') return () => tok.v;
    if (tok.t === 'kw' && tok.v === 'NULL') return () => null;
    if (tok.t === 'kw' && (tok.v === 'TRUE' || tok.v === 'FALSE')) return () => (tok.v === 'TRUE' ? 1 : 0);
    if (tok.t === 'op' && tok.v === '(') {
      const e = orExpr();
      if (!isOp(')')) throw new Error(`syntax error ${near()}`);
      pos++;
      return e;
    }
    if (tok.t === 'id') {
      if (isOp('(')) {
        const fn = FUNCTIONS[tok.v.toUpperCase()];
        if (!fn) throw new Error(`no such function: ${tok.v}`);
        pos++;
        const arg = orExpr();
        if (!isOp(')')) throw new Error(`wrong number of arguments to function ${tok.v}()`);
        pos++;
        return (row) => fn(arg(row));
      }
      return (row) => {
        if (!(tok.v in row)) throw new Error(`no such column: ${tok.v}`);
        return row[tok.v];
      };
    }
    throw new Error(`syntax error near "${tok.v}"`);
  }

  const e = orExpr();
  if (pos !== tokens.length) throw new Error(`syntax error ${near()}`);
  return e;
}

export function compileWhere(text) {
  const e = parse(tokenize(text));
  return (row) => truthy(e(row));
}
