/**
 * `npm run bench -- ai-memory`: what links by meaning and guidance by past findings add to a run's
 * planning, with the local lexical embedder. Per real spec: the time to find link candidates and
 * how many probes (and requests) they cost at most; the time to look every operation up among 200
 * remembered findings of the org (the in-memory exact cosine the D1 stand-in does after its one read).
 */
import { readFileSync } from "node:fs";
import { lexicalEmbedder } from "../workers/ai/embeddings/embedder";
import { pastGuidance, rememberGuidance } from "../workers/ai/embeddings/guidance";
import type { VectorIndex, VectorMatch } from "../workers/ai/embeddings/memory";
import { linkCandidates, probeCase, probeEnv } from "../workers/ai/links/meaning-links";
import { parseSpec } from "../workers/orchestrator/spec";
import { cosine } from "../workers/shared/cosine";

const SPECS = ["realworld-conduit-1.1.0.yaml", "gitea-1.16.0.yaml", "stripe-2023-05-24.yaml", "github-rest-1.1.4.yaml"];

function memoryIndex(): VectorIndex {
  const rows: { id: string; values: number[]; metadata: VectorMatch["metadata"] }[] = [];
  return {
    async upsert(items) {
      rows.push(...items);
    },
    async query(values, options) {
      return rows
        .filter((r) => r.metadata.orgId === options.orgId && r.metadata.embedder === options.embedder)
        .map((r) => ({ id: r.id, score: cosine(values, r.values), metadata: r.metadata }))
        .sort((a, b) => b.score - a.score)
        .slice(0, options.topK);
    },
  };
}

const embedder = lexicalEmbedder();
for (const name of SPECS) {
  const model = parseSpec(readFileSync(`${import.meta.dirname}/../../shared/specs/real/${name}`, "utf8"), { maxYamlBytes: Number.POSITIVE_INFINITY }).model!;
  let started = performance.now();
  const candidates = await linkCandidates(model, embedder);
  const linkMs = performance.now() - started;
  const env = probeEnv(model, 1);
  const requests = candidates.reduce((n, c) => n + ((p) => (p ? p.random.steps.length + p.linked.steps.length : 0))(probeCase(env, c)), 0);

  // 200 remembered findings on the spec's own first operations, then every operation looked up
  const index = memoryIndex();
  const remembered = model.operations.slice(0, 200).map((op, i) => ({ finding: { id: `f${i}`, check: "not_a_server_error" as const, title: "t", operation: op }, family: "security-injection:injection,sql", operation: op }));
  await rememberGuidance(index, embedder, { orgId: "o", specId: "s", runId: "r1", entries: remembered });
  started = performance.now();
  const guidance = await pastGuidance(index, embedder, { orgId: "o", operations: model.operations });
  const guidanceMs = performance.now() - started;
  console.log(
    JSON.stringify({
      spec: name,
      operations: model.operations.length,
      linkCandidatesMs: Math.round(linkMs),
      probes: candidates.length,
      probeRequestsAtMost: requests,
      guidanceLookupMs: Math.round(guidanceMs),
      operationsLookedUp: Math.min(model.operations.length, 400),
      guidedOperations: guidance.size,
    }),
  );
}
