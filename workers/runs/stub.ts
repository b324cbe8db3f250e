/** The run's TestRun Durable Object, seen only through its contract (model/run.ts). */
import type { TestRunRpc } from "../model";

export function runStub(env: Pick<Env, "TEST_RUN">, runId: string): TestRunRpc {
  // the class implements TestRunRpc; its stub's RPC types only wrap the same promises
  return env.TEST_RUN.get(env.TEST_RUN.idFromName(runId)) as unknown as TestRunRpc;
}
