/**
 * Progress on stderr: a live one-line bar on a terminal, plain lines otherwise (CI logs), where
 * a line is printed when the status changes or at most every few seconds.
 */
export interface ProgressSnapshot {
  status: string;
  /** cases planned, 0 while unknown */
  total: number;
  done: number;
  findings?: number;
}

export interface ProgressReporter {
  update(snapshot: ProgressSnapshot): void;
  log(line: string): void;
  done(): void;
}

const PLAIN_INTERVAL_MS = 5_000;

export function createProgress(stream: NodeJS.WriteStream = process.stderr, opts: { quiet?: boolean; tty?: boolean; now?: () => number } = {}): ProgressReporter {
  if (opts.quiet) return { update() {}, log() {}, done() {} };
  const tty = opts.tty ?? (stream.isTTY === true && process.env.TERM !== "dumb");
  const now = opts.now ?? Date.now;
  let lastLine = "";
  let lastStatus = "";
  let lastAt = 0;
  let barShown = false;

  const clearBar = () => {
    if (barShown) stream.write("\r\x1b[2K");
    barShown = false;
  };

  return {
    update(s) {
      const text = describe(s);
      if (tty) {
        const width = Math.max(20, Math.min(40, (stream.columns ?? 80) - text.length - 4));
        const ratio = s.total > 0 ? Math.min(1, s.done / s.total) : 0;
        const filled = Math.round(ratio * width);
        stream.write(`\r\x1b[2K[${"#".repeat(filled)}${".".repeat(width - filled)}] ${text}`);
        barShown = true;
        return;
      }
      const t = now();
      if (text === lastLine) return;
      if (s.status === lastStatus && t - lastAt < PLAIN_INTERVAL_MS) return;
      stream.write(`${text}\n`);
      lastLine = text;
      lastStatus = s.status;
      lastAt = t;
    },
    log(line) {
      clearBar();
      stream.write(`${line}\n`);
    },
    done() {
      clearBar();
    },
  };
}

export function describe(s: ProgressSnapshot): string {
  const cases = s.total > 0 ? `${s.done}/${s.total} cases` : s.done > 0 ? `${s.done} cases` : "";
  const findings = s.findings !== undefined ? `${s.findings} finding${s.findings === 1 ? "" : "s"}` : "";
  return [s.status, cases, findings].filter(Boolean).join(" · ");
}

/** Reads progress numbers from GET /runs/{id}, wherever the server puts them. */
export function snapshotOf(run: Record<string, unknown>): ProgressSnapshot {
  const num = (...values: unknown[]) => {
    for (const v of values) if (typeof v === "number" && Number.isFinite(v)) return v;
    return undefined;
  };
  const progress = (run.progress && typeof run.progress === "object" ? run.progress : {}) as Record<string, unknown>;
  const stats = (run.stats && typeof run.stats === "object" ? run.stats : {}) as Record<string, unknown>;
  const total = num(progress.cases, progress.total, run.cases, stats.cases) ?? 0;
  const done = num(progress.done, run.done, stats.done) ?? (typeof stats.cases === "number" && run.status !== "running" ? stats.cases : 0);
  return { status: String(run.status ?? "unknown"), total, done, findings: num(progress.findings, run.findings, stats.findings) };
}
