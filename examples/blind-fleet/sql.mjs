// A tiny SQL WHERE-clause evaluator, enough to make the buggy variant's string-built search
// behave like a real database: OR/AND/NOT, = != <> < > <= >=, LIKE (case-insensitive, % and _),
// string and number literals, columns, parentheses and `--` comments; errors read like SQLite's.
export class SqlError extends Error {}

function tokenize(src) {
  const out = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (src.startsWith('--', i)) break;
    if (c === "'") {
      let j = i + 1, s = '';
      for (;;) {
        if (j >= src.length) throw new SqlError(`unrecognized token: "${src.slice(i, i + 20)}"`);
        if (src[j] === "'") { if (src[j + 1] === "'") { s += "'"; j += 2; continue; } break; }
        s += src[j++];
      }
      out.push({ t: 'str', v: s });
      i = j + 1;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (num) { out.push({ t: 'num', v: Number(num[0]) }); i += num[0].length; continue; }
    const op = /^(<>|!=|<=|>=|=|<|>|\(|\))/.exec(src.slice(i));
    if (op) { out.push({ t: 'op', v: op[0] }); i += op[0].length; continue; }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      const up = id[0].toUpperCase();
      out.push(['AND', 'OR', 'NOT', 'LIKE'].includes(up) ? { t: 'kw', v: up } : { t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    throw new SqlError(`unrecognized token: "${c}"`);
  }
  return out;
}

function parse(tokens) {
  let i = 0;
  const peek = () => tokens[i];
  const is = (t, v) => peek() && peek().t === t && (v === undefined || peek().v === v);
  const near = () => (peek() ? `near "${peek().v}": syntax error` : 'incomplete input');
  function primary() {
    const tk = peek();
    if (!tk) throw new SqlError('incomplete input');
    if (is('op', '(')) { i++; const e = or(); if (!is('op', ')')) throw new SqlError(near()); i++; return e; }
    if (tk.t === 'str' || tk.t === 'num') { i++; return () => tk.v; }
    if (tk.t === 'id') { i++; return (row) => { if (!(tk.v in row)) throw new SqlError(`no such column: ${tk.v}`); return row[tk.v]; }; }
    throw new SqlError(near());
  }
  function cmp() {
    const l = primary();
    const tk = peek();
    if (tk && ((tk.t === 'op' && !['(', ')'].includes(tk.v)) || (tk.t === 'kw' && tk.v === 'LIKE'))) {
      i++;
      const r = primary();
      return (row) => compare(tk.v, l(row), r(row)) ? 1 : 0;
    }
    return l;
  }
  function not() { if (is('kw', 'NOT')) { i++; const e = not(); return (row) => (truthy(e(row)) ? 0 : 1); } return cmp(); }
  function and() { let e = not(); while (is('kw', 'AND')) { i++; const l = e, r = not(); e = (row) => (truthy(l(row)) && truthy(r(row)) ? 1 : 0); } return e; }
  function or() { let e = and(); while (is('kw', 'OR')) { i++; const l = e, r = and(); e = (row) => (truthy(l(row)) || truthy(r(row)) ? 1 : 0); } return e; }
  const e = or();
  if (i < tokens.length) throw new SqlError(near());
  return e;
}

function truthy(v) { return typeof v === 'number' ? v !== 0 : Number(v) ? true : false; }
function compare(op, a, b) {
  if (op === 'LIKE') {
    const rx = new RegExp(`^${String(b).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'is');
    return rx.test(String(a));
  }
  const x = typeof a === 'number' && typeof b !== 'number' ? String(a) : a;
  const y = typeof b === 'number' && typeof a !== 'number' ? String(b) : b;
  switch (op) {
    case '=': return x === y;
    case '!=': case '<>': return x !== y;
    case '<': return x < y;
    case '>': return x > y;
    case '<=': return x <= y;
    default: return x >= y;
  }
}

/** Rows of `table` for which `where` (raw SQL text) holds. Throws SqlError like SQLite would. */
export function selectWhere(rows, where) {
  const pred = parse(tokenize(where));
  return rows.filter((r) => truthy(pred(r)));
}
