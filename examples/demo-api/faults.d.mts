export interface FaultDescription {
  /** "METHOD /path/template" */
  operation: string;
  /** a name from workers/model/checks.ts */
  check: string;
  bug: string;
}
export const FAULTS: Record<string, FaultDescription>;
export const FAULT_IDS: string[];
export const PROSE_FAULTS: Record<string, FaultDescription>;
export const PROSE_FAULT_IDS: string[];
export const REGRESSION_FAULTS: Record<string, FaultDescription>;
export const REGRESSION_FAULT_IDS: string[];
export const SIMULATED_PASSWD: string;
export const SIMULATED_FS: Record<string, string>;
export function simulateShell(host: string, count: number): { output: string; sleepMs: number; injected: boolean };
