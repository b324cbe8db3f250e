// Placeholder replaced by the run-pipeline work (issue 3).
import type { Env } from "../env";
export async function handleTaskBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  void env;
  batch.ackAll();
}
export async function handleDeadLetterBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  void env;
  batch.ackAll();
}
