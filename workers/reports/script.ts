/**
 * The reproduction of a chain finding: a bash script (curl + jq) that sends every step in order
 * up to the failing one, reads each value a later step needs from the earlier response (jq for
 * JSON bodies, the headers for Location), and prints each step's status. Credentials stay
 * `$SENTINEL_*` placeholders the user exports first; the script stops with a clear message when
 * one is missing.
 */
import { toCurl } from "../executor/curl";
import { escapeRegExp } from "../shared/regexp";
import type { ReportStep } from "./types";

const PLACEHOLDER = /\$SENTINEL_[A-Z0-9_]+/g;

/** `itemId` → `SENTINEL_VAR_ITEMID` (a name the curl quoting lets the shell expand). */
export function scriptVariable(name: string): string {
  return `SENTINEL_VAR_${name.toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^_+|_+$/g, "")}`;
}

/** JSON pointer → jq `getpath([...])` (digits index arrays). */
function jqPath(pointer: string): string {
  if (pointer === "" || pointer === "/") return ".";
  const tokens = pointer
    .replace(/^\//, "")
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((t) => (/^(0|[1-9][0-9]*)$/.test(t) ? t : JSON.stringify(t)));
  return `getpath([${tokens.join(",")}])`;
}

const single = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The step's request with every value an earlier step provided replaced by its shell variable. */
function templated(step: ReportStep): ReportStep["request"] {
  const request = { ...step.request, headers: { ...step.request.headers } };
  for (const [name, value] of Object.entries(step.uses ?? {})) {
    if (!value) continue;
    const ref = `$${scriptVariable(name)}`;
    if (request.url === value) {
      request.url = ref;
    } else {
      const [pathPart, ...rest] = request.url.split("?");
      const encoded = encodeURIComponent(value);
      const parts = pathPart.split("/");
      const at = step.pathSegments?.[name];
      // the segment the template put it in when known; else every segment holding the value
      const path = parts
        .map((seg, i) => {
          const fromEnd = (parts[parts.length - 1] === "" ? parts.length - 1 : parts.length) - i;
          const hit = at !== undefined ? fromEnd === at : i > 2;
          return hit && (seg === value || seg === encoded) ? ref : seg;
        })
        .join("/");
      const query = rest.join("?");
      const newQuery = query
        ? query
            .split("&")
            .map((pair) => {
              const eq = pair.indexOf("=");
              if (eq < 0) return pair;
              let decoded: string;
              try {
                decoded = decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, " "));
              } catch {
                decoded = pair.slice(eq + 1);
              }
              return decoded === value ? `${pair.slice(0, eq + 1)}${ref}` : pair;
            })
            .join("&")
        : "";
      request.url = newQuery && at === undefined ? `${path}?${newQuery}` : rest.length ? `${path}?${query}` : path;
      // placed by the template in the path: nowhere else
      if (at !== undefined) continue;
    }
    for (const [header, text] of Object.entries(request.headers)) if (text === value) request.headers[header] = ref;
    if (request.body !== undefined) {
      let body = request.body.split(JSON.stringify(value)).join(`"${ref}"`);
      // a numeric id sent as a JSON number
      if (/^-?\d+(\.\d+)?$/.test(value)) body = body.replace(new RegExp(`(?<=[:\\[,]\\s*)${escapeRegExp(value)}(?=\\s*[,\\]}])`, "g"), ref);
      request.body = body;
    }
  }
  return request;
}

function extractLine(variable: string, extraction: unknown, files: { body: string; headers: string }, requestUrl: string, statusVar: string, requestBody?: string): string {
  const e = (extraction ?? {}) as { from?: string; pointer?: string; name?: string };
  const headerValue = (name: string) => `grep -i ${single(`^${name}:`)} "${files.headers}" | tail -n 1 | sed 's/^[^:]*:[[:space:]]*//' | tr -d '\\r'`;
  const origin = /^https?:\/\/[^/]+/.exec(requestUrl)?.[0] ?? "";
  switch (e.from) {
    case "body":
      return `${variable}=$(jq -r ${single(jqPath(e.pointer ?? ""))} "${files.body}")`;
    case "status":
      return `${variable}=$${statusVar}`;
    case "request":
      // a key the step chose itself: read from the body it sent
      return `${variable}=$(printf '%s' ${single(requestBody ?? "")} | jq -r ${single(jqPath(e.pointer ?? ""))})`;
    case "header": {
      const lines = [`${variable}=$(${headerValue(e.name ?? "location")})`];
      // Location may be relative to the request: resolve it as the run did
      if ((e.name ?? "").toLowerCase() === "location") lines.push(`case "$${variable}" in /*) ${variable}=${single(origin)}"$${variable}" ;; esac`);
      return lines.join("\n");
    }
    case "cookie":
      // the named cookie of the answer's Set-Cookie headers
      return `${variable}=$(grep -i '^set-cookie:' "${files.headers}" | sed -n ${single(`s/^[^:]*:[[:space:]]*${e.name ?? ""}=\\([^;]*\\).*/\\1/p`)} | tail -n 1 | tr -d '\\r')`;
    case "location-id":
      return [`${variable}=$(${headerValue("location")})`, `${variable}=\${${variable}%%\\?*}; ${variable}=\${${variable}%/}; ${variable}=\${${variable}##*/}`].join("\n");
    case "path-id":
      // the id the step chose for the item it created by PUT: the last segment of its URL
      return `${variable}=${single(decodeSegment(requestUrl.split("?")[0].replace(/\/+$/, "").split("/").pop() ?? ""))}`;
    case "foreign": {
      // the first element another user owns: its owner is none of the run's own identities
      const f = extraction as { array?: string; value?: string; owner?: string; notOwners?: string[] };
      const names = f.notOwners ?? [];
      const args = names.map((name, i) => `--arg o${i} "$${scriptVariable(name)}"`).join(" ");
      const differs = names.map((_, i) => `$o != $o${i}`).join(" and ") || "false";
      const owner = jqPath(f.owner ?? "");
      const filter = `[${jqPath(f.array ?? "")}[]? | select(${owner} != null and ((${owner} | tostring) as $o | ${differs}))][0] | ${jqPath(f.value ?? "")} // empty`;
      return `${variable}=$(jq -r ${args} ${single(filter)} "${files.body}")`;
    }
    default:
      return `# ${variable}: unknown extraction ${JSON.stringify(extraction)}`;
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The bash script replaying `steps` in order up to the finding's step (all of them when none is marked). */
export function reproductionScript(steps: readonly ReportStep[], title = "Sentinel finding"): string {
  const last = steps.findIndex((s) => s.finding);
  const run = last >= 0 ? steps.slice(0, last + 1) : [...steps];
  const requests = run.map(templated);
  const credentials = new Set<string>();
  for (const request of requests) {
    for (const text of [request.url, ...Object.values(request.headers), request.body ?? ""]) {
      for (const m of text.matchAll(PLACEHOLDER)) if (!m[0].startsWith("$SENTINEL_VAR_")) credentials.add(m[0].slice(1));
    }
  }
  const out = [
    "#!/usr/bin/env bash",
    `# Sentinel reproduction: ${title.replace(/[\r\n]+/g, " ")}`,
    `# Sends the ${run.length} steps of the chain in order; values later steps need are read from earlier responses with jq.`,
    "# Needs bash, curl and jq.",
    "set -euo pipefail",
    ...[...credentials].sort().map((name) => `: "\${${name}:?export ${name}=<the credential it stands for> first}"`),
    `SENTINEL_DIR=$(mktemp -d); trap 'rm -rf "$SENTINEL_DIR"' EXIT`,
  ];
  run.forEach((step, i) => {
    const request = requests[i];
    const files = { body: `$SENTINEL_DIR/${i + 1}.body`, headers: `$SENTINEL_DIR/${i + 1}.headers` };
    const who = step.identity === null ? " without credentials" : step.identity ? ` as ${step.identity}` : "";
    const expected = step.response ? `HTTP ${step.response.status} in the run` : `no response in the run${step.error ? ` (${step.error})` : ""}`;
    out.push("");
    out.push(`# step ${i + 1}: ${step.id}${step.finding ? " (the finding)" : ""} — ${step.request.method.toUpperCase()} ${step.request.url}${who}; ${expected}`.replace(/[\r\n]+/g, " "));
    const curl = toCurl(request).replace(/^curl /, "");
    out.push(`SENTINEL_STATUS=$(curl -sS -o "${files.body}" -D "${files.headers}" -w '%{http_code}' ${curl})`);
    out.push(`echo "step ${step.id}: HTTP $SENTINEL_STATUS"`);
    for (const [name, extraction] of Object.entries(step.extract ?? {})) {
      out.push(extractLine(scriptVariable(name), extraction, files, step.request.url, "SENTINEL_STATUS", step.request.body));
    }
    if (i === run.length - 1) out.push(`cat "${files.body}"; echo`);
  });
  return out.join("\n") + "\n";
}

/** A finding's reproduction script: the one in the report, or built from its steps (chains only). */
export function findingScript(f: { script?: string; steps?: readonly ReportStep[]; title: string; id: string }): string | undefined {
  if (f.script) return f.script;
  return f.steps && f.steps.length > 1 ? reproductionScript(f.steps, `${f.title} (${f.id})`) : undefined;
}

/** "create: POST http://…/pets → 201" lines, one per step, the failing one marked. */
export function stepLines(steps: readonly ReportStep[]): string[] {
  return steps.map((s, i) => {
    const who = s.identity === null ? " (no credentials)" : s.identity ? ` (as ${s.identity})` : "";
    const outcome = s.response ? `${s.response.status}` : `no response${s.error ? `: ${s.error}` : ""}`;
    return `${i + 1}. ${s.id}${who}: ${s.request.method.toUpperCase()} ${s.request.url} → ${outcome}${s.finding ? "  ← finding" : ""}`;
  });
}
