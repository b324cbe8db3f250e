// The buggy variant's invoice search, as if it ran
//   SELECT * FROM invoices WHERE owner_id = <uid> AND search_text LIKE '%<q>%'
// with <q> pasted into the SQL text: a tiny evaluator of that WHERE clause over the rows, so
// quotes, OR/AND, comments and LIKE behave as SQLite would (syntax errors included).
export class SqlError extends Error {}

const COLUMNS = ['number', 'notes', 'status', 'currency', 'owner_id', 'customer_id', 'total_amount', 'issue_date'];

function tokenize(text) {
  const out = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) { i++; continue; }
    if (text.startsWith('--', i) || ch === '#') break; // comment to the end
    if (text.startsWith('/*', i)) { const j = text.indexOf('*/', i + 2); if (j < 0) break; i = j + 2; continue; }
    if (ch === "'") {
      let s = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new SqlError(`unrecognized token: "${text.slice(i, i + 20)}"`);
        if (text[j] === "'" && text[j + 1] === "'") { s += "'"; j += 2; continue; }
        if (text[j] === "'") break;
        s += text[j++];
      }
      out.push({ t: 'str', v: s });
      i = j + 1;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(text.slice(i));
    if (num) { out.push({ t: 'num', v: Number(num[0]) }); i += num[0].length; continue; }
    const op = /^(<=|>=|<>|!=|==|=|<|>|\(|\)|\|\|)/.exec(text.slice(i));
    if (op) { out.push({ t: 'op', v: op[0] }); i += op[0].length; continue; }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (word) { out.push({ t: 'word', v: word[0].toUpperCase(), raw: word[0] }); i += word[0].length; continue; }
    throw new SqlError(`near "${ch}": syntax error`);
  }
  return out;
}

const likeRx = (pattern) => new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'is');

function evaluate(tokens, row) {
  let k = 0;
  const peek = () => tokens[k];
  const isWord = (w) => peek() && peek().t === 'word' && peek().v === w;
  const near = () => new SqlError(`near "${peek() ? peek().raw ?? peek().v : ''}": syntax error`);
  function operand() {
    const t = tokens[k++];
    if (!t) throw new SqlError('incomplete input');
    if (t.t === 'str' || t.t === 'num') return t.v;
    if (t.t === 'pred') return t.v(row) ? 1 : 0;
    if (t.t === 'op' && t.v === '(') { const v = or(); if (!peek() || peek().v !== ')') throw near(); k++; return v; }
    if (t.t === 'word') {
      if (t.v === 'TRUE') return 1;
      if (t.v === 'FALSE') return 0;
      if (t.v === 'NULL') return null;
      const col = t.raw.toLowerCase();
      if (COLUMNS.includes(col)) return row[col];
      throw new SqlError(`no such column: ${t.raw}`);
    }
    k--;
    throw near();
  }
  function cmp() {
    let a = operand();
    while (peek() && peek().v === '||') { k++; a = `${a ?? ''}${operand() ?? ''}`; }
    const t = peek();
    if (t && t.t === 'op' && ['=', '==', '!=', '<>', '<', '>', '<=', '>='].includes(t.v)) {
      k++;
      const b = operand();
      if (a === null || b === null) return 0;
      const [x, y] = typeof a === typeof b ? [a, b] : [String(a), String(b)];
      return { '=': x === y, '==': x === y, '!=': x !== y, '<>': x !== y, '<': x < y, '>': x > y, '<=': x <= y, '>=': x >= y }[t.v] ? 1 : 0;
    }
    if (t && t.t === 'word' && t.v === 'LIKE') { k++; const b = operand(); return a !== null && b !== null && likeRx(String(b)).test(String(a)) ? 1 : 0; }
    return a ? 1 : 0;
  }
  function not() { if (isWord('NOT')) { k++; return not() ? 0 : 1; } return cmp(); }
  function and() { let v = not(); while (isWord('AND')) { k++; const w = not(); v = v && w ? 1 : 0; } return v; }
  function or() { let v = and(); while (isWord('OR')) { k++; const w = and(); v = v || w ? 1 : 0; } return v; }
  const v = or();
  if (k < tokens.length) throw near();
  return v;
}

/** Rows (all owners) the concatenated query returns for user `uid` and search text `q`. */
export function sqlSearch(rows, uid, q) {
  const text = `${q}%'`;
  const quote = q.indexOf("'");
  const likePrefix = quote < 0 ? `%${text.slice(0, -2)}%` : `%${q.slice(0, quote)}`;
  const tail = quote < 0 ? [] : tokenize(text.slice(quote + 1));
  const tokens = [
    { t: 'pred', v: (r) => r.owner_id === uid }, { t: 'word', v: 'AND' },
    { t: 'pred', v: (r) => likeRx(likePrefix).test(`${r.number} ${r.notes || ''}`) },
    ...tail,
  ];
  return rows.filter((r) => evaluate(tokens, r));
}
