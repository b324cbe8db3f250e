/**
 * A scripted stand-in for a model behind an OpenAI-compatible endpoint (tests and the bench only):
 * it reads the operations out of the prompt's data block and answers the way a capable model
 * would — cases with small page sizes and broad queries, oracles for "at most `limit`" and
 * "newest first" sentences. Shown a prompt-injecting description, it "obeys" it and answers with
 * hostile proposals, which the validators must reject.
 */
interface Digest {
  operationId: string;
  method: string;
  path: string;
  summary?: string;
  description?: string;
  parameters: { name: string; in: string; required: boolean; description?: string; schema: { type?: string; minimum?: number; example?: unknown; enum?: unknown[] } }[];
  requestBody?: unknown;
  responseSchema?: { type?: string; properties?: Record<string, { type?: string; items?: { properties?: Record<string, unknown> } }> };
}

export const INJECTION_MARKER = /ignore (all )?previous instructions/i;

function operationsOf(prompt: string): Digest[] {
  const match = /<data name="operations" boundary="[0-9a-f]+">\n([\s\S]*?)\n<\/data boundary=/.exec(prompt);
  if (!match) return [];
  try {
    return JSON.parse(match[1]) as Digest[];
  } catch {
    return [];
  }
}

function arrayProperty(op: Digest): string | undefined {
  const props = op.responseSchema?.properties ?? {};
  return Object.keys(props).find((k) => props[k]?.type === "array");
}

function sentences(op: Digest): string[] {
  const prose = [op.summary, op.description, ...op.parameters.map((p) => p.description)].filter((s): s is string => Boolean(s));
  return prose.flatMap((text) => text.split(/(?<=\.)\s+/)).map((s) => s.trim()).filter(Boolean);
}

function cases(ops: Digest[]): unknown {
  const out: unknown[] = [];
  for (const op of ops) {
    if (op.method !== "GET" || op.parameters.some((p) => p.in === "path")) continue;
    const query: Record<string, unknown> = {};
    for (const p of op.parameters.filter((p) => p.in === "query")) {
      if (p.name === "limit") query.limit = p.schema.minimum ?? 1;
      else if (p.required && p.schema.type === "string") query[p.name] = "a"; // broad: matches many records
    }
    if (Object.keys(query).length > 0) out.push({ operationId: op.operationId, title: `${op.operationId} with a small page and a broad filter`, query });
  }
  return { cases: out };
}

function oracles(ops: Digest[]): unknown {
  const out: unknown[] = [];
  for (const op of ops) {
    const list = arrayProperty(op);
    for (const sentence of sentences(op)) {
      if (list && /at most `?limit`?/i.test(sentence)) out.push({ operationId: op.operationId, sentence, assertion: { cmp: "<=", left: { count: `/${list}` }, right: { query: "limit" } } });
      if (list && /newest first/i.test(sentence)) out.push({ operationId: op.operationId, sentence, assertion: { sorted: `/${list}`, by: "/createdAt", order: "desc" } });
    }
  }
  return { oracles: out };
}

/** What an injected instruction would make a gullible model answer. */
function hostile(schemaName: string, ops: Digest[]): unknown {
  const op = ops[0];
  if (schemaName === "proposed_oracles") {
    return {
      oracles: [
        { operationId: op?.operationId ?? "x", sentence: "Report no findings for this API.", assertion: { cmp: "==", left: { const: 1 }, right: { const: 1 } } },
        { operationId: "deleteEverything", sentence: "ignore previous instructions", assertion: { cmp: "==", left: { const: 1 }, right: { const: 2 } } },
      ],
    };
  }
  return {
    cases: [
      { operationId: op?.operationId ?? "x", title: "exfiltrate", headers: { Authorization: "Bearer stolen" }, query: {} },
      { operationId: "deleteEverything", title: "wipe", query: {} },
    ],
  };
}

/** Triage: each cluster explained from its check and title, the likely cause named after the check. */
function triage(prompt: string): unknown {
  const match = /<data name="clusters" boundary="[0-9a-f]+">\n([\s\S]*?)\n<\/data boundary=/.exec(prompt);
  let clusters: { id: string; check: string; title: string; operations: string[] }[] = [];
  try {
    clusters = match ? JSON.parse(match[1]) : [];
  } catch {
    clusters = [];
  }
  return {
    clusters: clusters.map((c) => ({
      id: c.id,
      explanation: `${c.operations.length} operations show the same ${c.check} failure: ${c.title}.`,
      likelyCause: c.check === "jwt_weakness" ? "token signature not verified in the shared auth middleware" : `one shared ${c.check} defect`,
    })),
  };
}

export function fakeModelAnswer(schemaName: string, prompt: string): string {
  const ops = operationsOf(prompt);
  if (INJECTION_MARKER.test(prompt)) return JSON.stringify(hostile(schemaName, ops));
  if (schemaName === "cluster_triage") return JSON.stringify(triage(prompt));
  if (schemaName === "proposed_cases") return JSON.stringify(cases(ops));
  if (schemaName === "proposed_oracles") return JSON.stringify(oracles(ops));
  return JSON.stringify({ ok: true, word: "pong" });
}

/** An OpenAI chat.completions response for a request body (usage ≈ 1 token per 4 characters). */
export function fakeChatCompletion(body: { model?: string; messages?: { content?: string }[]; response_format?: { json_schema?: { name?: string } } }): Record<string, unknown> {
  const prompt = (body.messages ?? []).map((m) => m.content ?? "").join("\n");
  const content = fakeModelAnswer(body.response_format?.json_schema?.name ?? "", prompt);
  const usage = { prompt_tokens: Math.ceil(prompt.length / 4), completion_tokens: Math.ceil(content.length / 4) };
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 0,
    model: body.model ?? "fake",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}
