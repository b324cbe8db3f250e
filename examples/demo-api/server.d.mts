export type DemoVariant = "clean" | "buggy";

export interface StartDemoApiOptions {
  port?: number;
  host?: string;
  variant?: DemoVariant;
  /** fault ids to enable; defaults to all of them for "buggy" and none for "clean" */
  faults?: string[];
}

export interface DemoApi {
  /** base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
  /** the fault ids enabled in this server */
  faults: string[];
}

export function startDemoApi(options?: StartDemoApiOptions): Promise<DemoApi>;
