/**
 * Confirming links by meaning at run time, before planning: each candidate's probe
 * (meaning-links.ts probeCase) runs against the target like any case (the executor's runCase,
 * the run's identities, only the target's origin), one after the other, bounded in count and time.
 * A link is trusted only when its probe confirms it; the others are reported as refused.
 */
import type { ApiModel, TestCase } from "../../model";
import type { FetchLike } from "../../executor/http-client";
import { runCase } from "../../executor/run-case";
import type { MeaningLink } from "../../orchestrator/agents/resources";
import type { Embedder } from "../embeddings/embedder";
import { confirmed, linkCandidates, probeCase, probeEnv, type LinkCandidate } from "./meaning-links";

export interface LinkProbe {
  candidate: LinkCandidate;
  linked?: number;
  random?: number;
  confirmed: boolean;
}

export interface ConfirmInput {
  model: ApiModel;
  embedder: Embedder;
  fetch: FetchLike;
  baseUrl: string;
  identities: Record<string, Record<string, string>>;
  seed: number;
  timeoutMs: number;
}

/** The confirmed links (one per consumer parameter, the best confirmed candidate) and every probe made. */
export async function confirmLinks(input: ConfirmInput): Promise<{ links: MeaningLink[]; probes: LinkProbe[] }> {
  const candidates = await linkCandidates(input.model, input.embedder);
  const env = candidates.length > 0 ? probeEnv(input.model, input.seed) : undefined;
  const links: MeaningLink[] = [];
  const probes: LinkProbe[] = [];
  const randoms = new Map<string, number | undefined>();
  for (const candidate of candidates) {
    // one trusted producer per consumer parameter: a second candidate is not probed once one holds
    if (links.some((l) => l.path === candidate.path && l.param === candidate.param)) continue;
    const cases = probeCase(env!, candidate);
    if (!cases) continue;
    const run = async (testCase: TestCase, step: string) => {
      const result = await runCase(testCase, { fetch: input.fetch, baseUrl: input.baseUrl, identities: input.identities, model: input.model, config: { timeoutMs: input.timeoutMs, maxBodyBytes: 256 * 1024, retries: 0, stallMs: 0 } });
      return result.exchanges.find((e) => e.stepId === step)?.response?.status;
    };
    // a random value first, once per consumer parameter: one that is not refused refutes every candidate
    const key = `${candidate.consumer}\n${candidate.param}`;
    if (!randoms.has(key)) randoms.set(key, await run(cases.random, "random"));
    const random = randoms.get(key);
    const refused = random !== undefined && random >= 400 && random < 500;
    const probe: LinkProbe = { candidate, random, linked: refused ? await run(cases.linked, "linked") : undefined, confirmed: false };
    probe.confirmed = confirmed(probe);
    probes.push(probe);
    if (probe.confirmed) for (const path of candidate.paths) links.push({ path, param: candidate.param, producer: candidate.producer, pointer: candidate.pointer, score: candidate.score });
  }
  return { links, probes };
}

/** One line per probe for the run's warnings: what was linked, or why not. */
export function describeProbe(p: LinkProbe): string {
  const c = p.candidate;
  const more = c.paths.length > 1 ? ` and ${c.paths.length - 1} more path(s)` : "";
  const what = `link by meaning ${c.producer} ${c.pointer} → {${c.param}} of ${c.path}${more} (similarity ${c.score})`;
  const seen = `random value ${p.random ?? "no answer"}, produced value ${p.linked ?? (p.random !== undefined && p.random >= 400 && p.random < 500 ? "no answer" : "not tried")}`;
  return p.confirmed ? `${what} confirmed: ${seen}` : `${what} not trusted: ${seen}`;
}
