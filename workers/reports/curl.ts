/**
 * One-line curl reproductions of a sent request, for reports built from case exchanges
 * (findings carry their own `curl`, made by the executor).
 */

/** Quotes a word for POSIX shells; uses $'…' when it holds line breaks or control characters so the line stays one line. */
export function shellQuote(value: string): string {
  if (value === "") return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  if (/[\u0000-\u001F\u007F]/.test(value)) {
    const escaped = value.replace(/[\\']/g, (c) => `\\${c}`).replace(/[\u0000-\u001F\u007F]/g, (c) => {
      const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
      return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
    });
    return `$'${escaped}'`;
  }
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface CurlRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** `curl -X POST 'https://…' -H 'Content-Type: application/json' --data-raw '{…}'` */
export function curlCommand(request: CurlRequest): string {
  const parts = ["curl", "-sS", "-X", shellQuote(request.method.toUpperCase()), shellQuote(request.url)];
  for (const [name, value] of Object.entries(request.headers)) {
    // curl computes these itself; sending stale values breaks the reproduction.
    if (/^(content-length|host|connection)$/i.test(name)) continue;
    parts.push("-H", shellQuote(`${name}: ${value}`));
  }
  if (request.body !== undefined && request.body !== "") parts.push("--data-raw", shellQuote(request.body));
  return parts.join(" ");
}
