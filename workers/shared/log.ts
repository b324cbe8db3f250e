/** Structured logs: one JSON object per line (Workers Logs and wrangler tail index the fields). Never pass secrets. */

export type LogLevel = "debug" | "info" | "warn" | "error";

export function log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, msg, time: new Date().toISOString(), ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** True when the deployment says it is production (refuse local conveniences there). */
export function isProduction(env: { SENTINEL_ENV?: string }): boolean {
  return (env.SENTINEL_ENV ?? "").toLowerCase() === "production";
}
