/**
 * Inline SVG charts (no chart library, readable without JavaScript): a sparkline for run trends and
 * a line chart for latency over time. Each has a text alternative for screen readers.
 */

export function Sparkline(props: { values: number[]; label: string; width?: number; height?: number }) {
  const { values } = props;
  const w = props.width ?? 120;
  const h = props.height ?? 28;
  if (values.length === 0) return <span class="muted">—</span>;
  const max = Math.max(...values, 1);
  const step = values.length > 1 ? (w - 4) / (values.length - 1) : 0;
  const points = values.map((v, i) => `${(2 + i * step).toFixed(1)},${(h - 2 - (v / max) * (h - 4)).toFixed(1)}`).join(" ");
  const last = points.split(" ").pop()!.split(",");
  return (
    <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={props.label}>
      <title>{props.label}</title>
      <polyline points={points} fill="none" stroke="#1d4ed8" stroke-width="2" />
      <circle cx={last[0]} cy={last[1]} r="2.5" fill="#1d4ed8" />
    </svg>
  );
}

export interface Series {
  name: string;
  color: string;
  points: { x: number; y: number }[];
}

/** Accessible colours (≥ 3:1 against white, as graphics need) for up to eight series. */
export const SERIES_COLORS = ["#1d4ed8", "#b91c1c", "#15803d", "#7e22ce", "#c2410c", "#0e7490", "#4d7c0f", "#be185d"];

export function LineChart(props: { series: Series[]; label: string; xLabel: string; yLabel: string; width?: number; height?: number }) {
  const w = props.width ?? 640;
  const h = props.height ?? 220;
  const pad = { l: 48, r: 10, t: 10, b: 30 };
  const all = props.series.flatMap((s) => s.points);
  if (all.length === 0) return <p class="muted">No data yet.</p>;
  const minX = Math.min(...all.map((p) => p.x));
  const maxX = Math.max(...all.map((p) => p.x), minX + 1);
  const maxY = Math.max(...all.map((p) => p.y), 1);
  const sx = (x: number) => pad.l + ((x - minX) / (maxX - minX)) * (w - pad.l - pad.r);
  const sy = (y: number) => h - pad.b - (y / maxY) * (h - pad.t - pad.b);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * maxY);
  return (
    <figure style="margin:0">
      <svg viewBox={`0 0 ${w} ${h}`} width="100%" role="img" aria-label={props.label} style={`max-width:${w}px`}>
        <title>{props.label}</title>
        {ticks.map((t) => (
          <g>
            <line x1={pad.l} x2={w - pad.r} y1={sy(t)} y2={sy(t)} stroke="#d1d5db" />
            <text x={pad.l - 6} y={sy(t) + 4} text-anchor="end" font-size="11" fill="#374151">
              {Math.round(t)}
            </text>
          </g>
        ))}
        <text x={pad.l} y={h - 8} font-size="11" fill="#374151">
          {`${Math.round(minX)} ${props.xLabel}`}
        </text>
        <text x={w - pad.r} y={h - 8} font-size="11" fill="#374151" text-anchor="end">
          {`${Math.round(maxX)} ${props.xLabel}`}
        </text>
        <text x={12} y={pad.t + 10} font-size="11" fill="#374151">
          {props.yLabel}
        </text>
        {props.series.map((s) => (
          <polyline
            fill="none"
            stroke={s.color}
            stroke-width="2"
            points={s.points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(" ")}
          />
        ))}
      </svg>
      <figcaption class="checks">
        {props.series.map((s) => (
          <span>
            <svg width="14" height="4" aria-hidden="true">
              <rect width="14" height="4" fill={s.color} />
            </svg>{" "}
            {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
