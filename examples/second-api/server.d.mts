export type SecondApiVariant = "clean" | "buggy";

export interface StartSecondApiOptions {
  port?: number;
  host?: string;
  variant?: SecondApiVariant;
  /** fault ids to enable; defaults to all of them for "buggy" and none for "clean" */
  faults?: string[];
}

export interface SecondApi {
  /** base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
  /** the fault ids enabled in this server */
  faults: string[];
}

export function startSecondApi(options?: StartSecondApiOptions): Promise<SecondApi>;
