/** Reading dashboard forms: trimmed strings, optional integers, "name:Header: value" identity lines. */

export type FormBody = Record<string, string | File | (string | File)[]>;

export function text(body: FormBody, name: string): string {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first.trim() : "";
}

export function all(body: FormBody, name: string): string[] {
  const value = body[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === "string" && v.trim() !== "").map((v) => v.trim());
}

export function file(body: FormBody, name: string): File | null {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first instanceof File && first.size > 0 ? first : null;
}

/** An optional number field; NaN stays NaN so the API names the field in its validation error. */
export function optionalNumber(body: FormBody, name: string): number | undefined {
  const raw = text(body, name);
  return raw === "" ? undefined : Number(raw);
}

/** `alice:Authorization: Bearer …` per line (the CLI's --identity syntax) → identities. */
export function parseIdentities(lines: string): { identities: Record<string, Record<string, string>>; error?: string } {
  const identities: Record<string, Record<string, string>> = {};
  for (const [i, line] of lines.split(/\r?\n/).entries()) {
    if (line.trim() === "") continue;
    const m = /^\s*([^:\s][^:]*?)\s*:\s*([^:\s][^:]*?)\s*:\s?(.*)$/.exec(line);
    if (!m) return { identities, error: `Identity line ${i + 1} must look like name:Header: value` };
    (identities[m[1]] ??= {})[m[2]] = m[3].trim();
  }
  return { identities };
}
