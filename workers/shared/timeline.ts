/**
 * A run's pipeline timeline, for the bench only (`npm run bench -- platform timeline`): with
 * SENTINEL_TIMELINE = "1" each call prints one JSON line (event, wall clock ms, fields) that the
 * bench collects from both processes; otherwise it does nothing. Never pass secrets.
 */
export function timeline(env: Pick<Env, "SENTINEL_TIMELINE">, event: string, fields: Record<string, unknown> = {}): void {
  if (env.SENTINEL_TIMELINE !== "1") return;
  console.log(JSON.stringify({ timeline: event, at: Date.now(), ...fields }));
}
