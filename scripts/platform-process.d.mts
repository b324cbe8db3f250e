/** Types of scripts/platform-process.mjs for the TypeScript tests. */
export interface PlatformProcess {
  url: string;
  /** everything start.mjs, wrangler and the Worker printed so far */
  output(): string;
  stop(): Promise<void>;
}
export declare function startPlatformProcess(options: {
  port: number;
  stateDir: string;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  echo?: boolean;
}): Promise<PlatformProcess>;
