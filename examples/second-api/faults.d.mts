export interface FaultDescription {
  /** "METHOD /path/template" */
  operation: string;
  /** a name from workers/model/checks.ts */
  check: string;
  bug: string;
}
export const FAULTS: Record<string, FaultDescription>;
export const FAULT_IDS: string[];
export function enforcedSpec(spec: unknown, enabled: Set<string>): any; // eslint-disable-line @typescript-eslint/no-explicit-any
export const SIMULATED_FILES: Record<string, string>;
export function simulateFetch(url: string): string | undefined;
export function renderTemplate(text: string): string;
export function simulatedSqlError(publisher: string): string | undefined;
