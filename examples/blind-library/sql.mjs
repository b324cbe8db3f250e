// The buggy variant's author search builds a SQL WHERE clause by string concatenation (L12). This is
// a small evaluator of the SQL such a clause can hold (literals, LIKE, =, <>, AND, OR, NOT, brackets,
// `--` comments), run over the in-memory rows, so injected text behaves as it would in SQLite:
// a tautology returns every row, a falsehood none, and a stray quote is a syntax error.

export class SqlError extends Error {
  constructor(message, sql) { super(message); this.sql = sql; }
}

function tokenize(clause, sql) {
  const src = clause;
  const toks = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (src.startsWith('--', i)) break;
    if (c === "'") {
      let j = i + 1, s = '';
      for (;;) {
        if (j >= src.length) throw new SqlError(`SQLITE_ERROR: unrecognized token: "${src.slice(i, i + 20)}"`, sql);
        if (src[j] === "'" && src[j + 1] === "'") { s += "'"; j += 2; continue; }
        if (src[j] === "'") break;
        s += src[j++];
      }
      toks.push({ k: 'str', v: s });
      i = j + 1;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (num) { toks.push({ k: 'num', v: Number(num[0]) }); i += num[0].length; continue; }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (word) { toks.push({ k: 'word', v: word[0].toUpperCase(), raw: word[0] }); i += word[0].length; continue; }
    const op = /^(<>|!=|>=|<=|=|<|>|\(|\))/.exec(src.slice(i));
    if (op) { toks.push({ k: 'op', v: op[0] }); i += op[0].length; continue; }
    throw new SqlError(`SQLITE_ERROR: unrecognized token: "${c}"`, sql);
  }
  return toks;
}

const like = (text, pattern) => {
  const rx = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${rx}$`, 'is').test(String(text));
};
const truthy = (v) => (typeof v === 'number' ? v !== 0 : Number(v) !== 0 && !Number.isNaN(Number(v)));

function parse(toks, sql) {
  let p = 0;
  const peek = () => toks[p];
  const fail = () => { throw new SqlError(`SQLITE_ERROR: near "${peek() ? (peek().raw ?? peek().v) : 'end of input'}": syntax error`, sql); };
  const isWord = (w) => peek() && peek().k === 'word' && peek().v === w;
  const isOp = (o) => peek() && peek().k === 'op' && peek().v === o;
  function operand() {
    const t = peek();
    if (!t) fail();
    if (t.k === 'str' || t.k === 'num') { p++; return () => t.v; }
    if (t.k === 'word' && ['AUTHORS', 'TITLE', 'SUBJECTS'].includes(t.v)) { p++; const col = t.v.toLowerCase(); return (row) => row[col]; }
    return fail();
  }
  function factor() {
    if (isWord('NOT')) { p++; const f = factor(); return (row) => !f(row); }
    if (isOp('(')) { p++; const e = expr(); if (!isOp(')')) fail(); p++; return e; }
    const a = operand();
    if (isWord('LIKE')) { p++; const b = operand(); return (row) => like(a(row), b(row)); }
    for (const o of ['=', '<>', '!=']) {
      if (isOp(o)) {
        p++;
        const b = operand();
        return (row) => (String(a(row)) === String(b(row))) === (o === '=');
      }
    }
    return (row) => truthy(a(row));
  }
  function term() {
    let f = factor();
    while (isWord('AND')) { p++; const l = f, r = factor(); f = (row) => l(row) && r(row); }
    return f;
  }
  function expr() {
    let f = term();
    while (isWord('OR')) { p++; const l = f, r = term(); f = (row) => l(row) || r(row); }
    return f;
  }
  const e = expr();
  if (p < toks.length) fail();
  return e;
}

/** Rows (objects with string columns authors, title, subjects) matching the WHERE clause. */
export function where(rows, clause) {
  const sql = `SELECT * FROM books WHERE ${clause}`;
  const f = parse(tokenize(clause, sql), sql);
  return rows.filter((r) => f(r));
}
