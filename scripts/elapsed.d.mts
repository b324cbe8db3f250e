/** Types of scripts/elapsed.mjs for the CLI (TypeScript) that shares it with scripts/start.mjs. */
export declare function whileWaiting<T>(
  label: string,
  work: Promise<T>,
  log: (line: string) => void,
  options?: { intervalMs?: number; now?: () => number },
): Promise<T>;
