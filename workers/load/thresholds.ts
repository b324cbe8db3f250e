/**
 * k6-style thresholds: `[region:]metric op value`, e.g. `p(95)<300`, `http_req_failed<0.01`,
 * `weur:p(99)<500`. Latency metrics are in milliseconds (an `ms` or `s` suffix is accepted).
 * A malformed expression is an error that names the position (1-based column) of the problem.
 */

export const LOAD_REGIONS = ["wnam", "enam", "sam", "weur", "eeur", "apac", "oc", "afr", "me"] as const;

export type ThresholdMetric =
  | { kind: "percentile"; percentile: number }
  | { kind: "avg" | "min" | "max" | "med" | "http_req_failed" | "rps" | "http_reqs" };

export type ThresholdOp = "<" | "<=" | ">" | ">=" | "==" | "!=";

export interface Threshold {
  expression: string;
  region?: string;
  metric: ThresholdMetric;
  op: ThresholdOp;
  value: number;
}

export class ThresholdError extends Error {
  constructor(
    readonly expression: string,
    /** 1-based column of the problem */
    readonly position: number,
    readonly reason: string,
  ) {
    super(`threshold "${expression}": ${reason} at position ${position}`);
    this.name = "ThresholdError";
  }
}

const NAMED = ["http_req_failed", "http_reqs", "avg", "min", "max", "med", "rps"] as const;
const LATENCY = new Set(["percentile", "avg", "min", "max", "med"]);

export function parseThreshold(expression: string): Threshold {
  const src = expression;
  let pos = 0;
  const fail = (reason: string, at = pos): never => {
    throw new ThresholdError(src, at + 1, reason);
  };
  const skipSpaces = () => {
    while (src[pos] === " ") pos++;
  };
  const number = (what: string): number => {
    skipSpaces();
    const m = /^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(src.slice(pos));
    if (!m) fail(`expected ${what}`);
    pos += m![0].length;
    return Number(m![0]);
  };

  skipSpaces();
  let region: string | undefined;
  const regionMatch = /^([a-z]+)\s*:/.exec(src.slice(pos));
  if (regionMatch) {
    if (!(LOAD_REGIONS as readonly string[]).includes(regionMatch[1])) fail(`unknown region "${regionMatch[1]}" (known: ${LOAD_REGIONS.join(", ")})`);
    region = regionMatch[1];
    pos += regionMatch[0].length;
    skipSpaces();
  }

  let metric: ThresholdMetric;
  const rest = src.slice(pos);
  if (rest.startsWith("p(")) {
    pos += 2;
    const at = pos;
    const percentile = number("a percentile such as 95");
    if (!(percentile > 0 && percentile <= 100)) fail("percentile must be in (0, 100]", at);
    skipSpaces();
    if (src[pos] !== ")") fail('expected ")"');
    pos++;
    metric = { kind: "percentile", percentile };
  } else {
    const name = NAMED.find((n) => rest.startsWith(n) && !/[a-z_]/.test(rest[n.length] ?? ""));
    if (!name) fail(`expected a metric: p(N), ${NAMED.join(", ")}`);
    pos += name!.length;
    metric = { kind: name! };
  }

  skipSpaces();
  const opMatch = /^(<=|>=|==|!=|<|>)/.exec(src.slice(pos));
  if (!opMatch) fail("expected an operator (<, <=, >, >=, ==, !=)");
  const op = opMatch![1] as ThresholdOp;
  pos += op.length;

  let value = number("a number");
  if (LATENCY.has(metric.kind)) {
    if (src.startsWith("ms", pos)) pos += 2;
    else if (src[pos] === "s" && !/[a-z]/.test(src[pos + 1] ?? "")) {
      value *= 1000;
      pos += 1;
    }
  }
  skipSpaces();
  if (pos < src.length) fail(`unexpected "${src.slice(pos)}"`);
  return { expression, ...(region ? { region } : {}), metric, op, value };
}

/** What a threshold is evaluated on: one region's merged figures, or the overall ones. */
export interface MetricSource {
  requests: number;
  errors: number;
  rps: number;
  latency: { mean: number; min: number; max: number; p50: number };
  percentile(p: number): number;
}

export function metricValue(metric: ThresholdMetric, source: MetricSource): number {
  switch (metric.kind) {
    case "percentile":
      return source.percentile(metric.percentile);
    case "avg":
      return source.latency.mean;
    case "min":
      return source.latency.min;
    case "max":
      return source.latency.max;
    case "med":
      return source.latency.p50;
    case "http_req_failed":
      return source.requests === 0 ? 0 : source.errors / source.requests;
    case "rps":
      return source.rps;
    case "http_reqs":
      return source.requests;
  }
}

export function compare(value: number, op: ThresholdOp, limit: number): boolean {
  switch (op) {
    case "<":
      return value < limit;
    case "<=":
      return value <= limit;
    case ">":
      return value > limit;
    case ">=":
      return value >= limit;
    case "==":
      return value === limit;
    case "!=":
      return value !== limit;
  }
}

export interface ThresholdResult {
  expression: string;
  region?: string;
  value: number;
  ok: boolean;
}

/** Region-scoped thresholds on their region, the others on the overall figures. */
export function evaluateThresholds(thresholds: readonly Threshold[], overall: MetricSource, regions: ReadonlyMap<string, MetricSource>): ThresholdResult[] {
  return thresholds.map((t) => {
    const source = t.region ? regions.get(t.region) : overall;
    if (!source) return { expression: t.expression, ...(t.region ? { region: t.region } : {}), value: 0, ok: false };
    const value = metricValue(t.metric, source);
    return { expression: t.expression, ...(t.region ? { region: t.region } : {}), value: Math.round(value * 1e6) / 1e6, ok: compare(value, t.op, t.value) };
  });
}
