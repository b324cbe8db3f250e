/**
 * Flaky cases: the same case (same id: a schedule's runs plan the same cases from the same spec
 * and seed) failing in some runs of a schedule and not in others. Pure, so it is unit-tested.
 */
export interface RunFailures {
  runId: string;
  /** case id → operation id, for the cases that failed in this run */
  failed: Map<string, string>;
}

export interface FlakyCase {
  caseId: string;
  operationId: string;
  /** oldest → newest: true where the case failed */
  history: boolean[];
  flips: number;
}

/** `runs` oldest first. A case is flaky when it failed in at least one run and not in another. */
export function flakyCases(runs: RunFailures[]): FlakyCase[] {
  if (runs.length < 2) return [];
  const operations = new Map<string, string>();
  for (const run of runs) for (const [caseId, op] of run.failed) operations.set(caseId, op);
  const out: FlakyCase[] = [];
  for (const [caseId, operationId] of operations) {
    const history = runs.map((r) => r.failed.has(caseId));
    if (history.every(Boolean)) continue;
    let flips = 0;
    for (let i = 1; i < history.length; i++) if (history[i] !== history[i - 1]) flips++;
    out.push({ caseId, operationId, history, flips });
  }
  return out.sort((a, b) => b.flips - a.flips || a.caseId.localeCompare(b.caseId));
}
