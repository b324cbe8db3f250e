/**
 * When a run is finalized its coverage report is computed once from the stored results (paged,
 * without response bodies) and kept in runs.config, where the report reads it: one write per run,
 * none per case. Never fails the run.
 */
import type { ApiModel } from "../model";
import { CoverageBuilder } from "../reports/coverage";
import { ReportHeldBackSchema } from "../reports/types";
import { log } from "../shared/log";
import { listCoverageRows } from "../storage/results-repo";
import { getRunConfig, setRunCoverage } from "../storage/runs-repo";

const PAGE = 500;

export async function recordCoverage(env: Env, input: { orgId: string; runId: string; model: ApiModel; identities: number }): Promise<void> {
  try {
    const config = await getRunConfig(env.DB, input.runId);
    const held = ReportHeldBackSchema.array().safeParse((config as { heldBack?: unknown } | null)?.heldBack);
    const builder = new CoverageBuilder(input.model, { identities: input.identities, heldBack: held.success ? held.data : [] });
    let cursor: string | undefined;
    for (;;) {
      const page = await listCoverageRows(env.DB, input.runId, { limit: PAGE, cursor });
      for (const row of page.items) builder.add(row);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    await setRunCoverage(env.DB, input.runId, builder.build());
  } catch (error) {
    log("warn", "coverage not recorded", { runId: input.runId, error: error instanceof Error ? error.message : String(error) });
  }
}
