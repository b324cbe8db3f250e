/**
 * Collects the observations of a task's successful exchanges for invariant inference
 * (workers/ai/invariants): bounded per task, each with a content hash as its id (a repeated
 * exchange or a redelivered task is stored once). Identity credentials never enter one.
 */
import { observe, type Observation } from "../ai/invariants/observe";
import type { ReceivedResponse } from "../model";
import { jsonValue } from "./checks/support";
import { fnv1a64 } from "./findings";
import { collectSecrets } from "./redact";
import type { BuiltRequest } from "./request-builder";

/** Observations kept per operation per task message (a run has many messages). */
const PER_OPERATION = 25;

export interface ObservationCollector {
  onSuccess: (record: { operationId: string; request: BuiltRequest; response: ReceivedResponse }) => void;
  rows: () => { id: string; observation: Observation }[];
}

export function observationCollector(identities: Record<string, Record<string, string>>): ObservationCollector {
  const secrets = collectSecrets(identities).map((s) => s.value);
  const rows = new Map<string, { id: string; observation: Observation }>();
  const perOperation = new Map<string, number>();
  return {
    onSuccess({ operationId, request, response }) {
      if ((perOperation.get(operationId) ?? 0) >= PER_OPERATION) return;
      const body = jsonValue(response);
      const observation = observe({
        operationId,
        query: request.resolved.query,
        pathParams: request.resolved.pathParams,
        requestBody: request.resolved.body?.value,
        body,
        secrets,
      });
      if (!observation) return;
      const id = fnv1a64(JSON.stringify(observation));
      if (rows.has(id)) return;
      rows.set(id, { id, observation });
      perOperation.set(operationId, (perOperation.get(operationId) ?? 0) + 1);
    },
    rows: () => [...rows.values()],
  };
}
