/**
 * One-line curl reproduction of a recorded (already redacted) request.
 *
 * Everything is single-quoted (nothing expands) except values holding a redaction placeholder
 * such as `$SENTINEL_AUTHORIZATION`: those are double-quoted so the shell substitutes the
 * variable the user exported. Text with newlines or control characters uses bash/zsh `$'...'`
 * quoting so the command stays on one line. HEAD uses `--head` (`-X HEAD` makes curl wait for
 * a body that never comes); URLs with [ ] { } get `--globoff` so curl doesn't expand them.
 */
import type { SentRequest } from "../model";

const PLACEHOLDER = /\$SENTINEL_[A-Z0-9_]+/g;

export function toCurl(request: SentRequest): string {
  const parts = ["curl"];
  const method = request.method.toUpperCase();
  if (method === "HEAD") parts.push("--head");
  else parts.push("-X", quote(method));
  if (/[[\]{}]/.test(request.url)) parts.push("--globoff");
  parts.push(shellQuote(request.url));
  for (const [name, value] of Object.entries(request.headers)) parts.push("-H", shellQuote(`${name}: ${value}`));
  if (request.body !== undefined && request.body !== "") parts.push("--data-raw", shellQuote(request.body));
  return parts.join(" ");
}

/** Quotes for POSIX shells, letting `$SENTINEL_*` placeholders expand. */
export function shellQuote(text: string): string {
  PLACEHOLDER.lastIndex = 0;
  if (!PLACEHOLDER.test(text)) return quote(text);
  PLACEHOLDER.lastIndex = 0;
  // adjacent quoted segments concatenate: 'Bearer '"$SENTINEL_X"
  const pieces: string[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const index = match.index ?? 0;
    if (index > last) pieces.push(quote(text.slice(last, index)));
    pieces.push(`"${match[0]}"`);
    last = index + match[0].length;
  }
  if (last < text.length) pieces.push(quote(text.slice(last)));
  return pieces.join("");
}

function quote(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(text)) return ansiQuote(text);
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function ansiQuote(text: string): string {
  let out = "$'";
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\\") out += "\\\\";
    else if (ch === "'") out += "\\'";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += "\\x" + code.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + "'";
}
