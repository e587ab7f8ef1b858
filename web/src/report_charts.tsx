// The reports screen's charts as inline SVG of our own (no chart library, no
// CDN): calls offered (bars, left scale) and service level (line, 0-100 %,
// right scale) over time; one figure per key of a dimension as horizontal bars.
const BLUE = '#0d4cd3';
const GREEN = '#1a7f37';
const GRID = '#d5dae1';
const TEXT = '#5b6470';

export interface TimePoint { label: string; offered: number; serviceLevel: number | null }

export function OfferedAndServiceLevelChart(props: { points: TimePoint[]; label: string; offeredName: string; slName: string }) {
  const width = 760, height = 220, left = 40, right = 40, top = 16, bottom = 28;
  const n = props.points.length;
  const max = Math.max(1, ...props.points.map((p) => p.offered));
  const plotW = width - left - right, plotH = height - top - bottom;
  const step = n > 0 ? plotW / n : plotW;
  const x = (i: number) => left + step * i + step / 2;
  const yCount = (v: number) => top + plotH - (v * plotH) / max;
  const ySl = (v: number) => top + plotH - v * plotH;
  // The line breaks where an interval had nothing to measure.
  const segments: string[][] = [];
  let current: string[] = [];
  props.points.forEach((p, i) => {
    if (p.serviceLevel == null) { if (current.length) segments.push(current); current = []; return; }
    current.push(`${x(i).toFixed(1)},${ySl(p.serviceLevel).toFixed(1)}`);
  });
  if (current.length) segments.push(current);
  const labelEvery = Math.max(1, Math.ceil(n / 8));
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.label} data-testid="chart-time"
      data-points={n} style="width:100%;height:auto">
      <line x1={left} y1={top + plotH} x2={width - right} y2={top + plotH} stroke={GRID} />
      <line x1={left} y1={top} x2={left} y2={top + plotH} stroke={GRID} />
      <line x1={width - right} y1={top} x2={width - right} y2={top + plotH} stroke={GRID} />
      <text x={left - 4} y={top + 4} font-size="10" fill={BLUE} text-anchor="end">{max}</text>
      <text x={left - 4} y={top + plotH} font-size="10" fill={BLUE} text-anchor="end">0</text>
      <text x={width - right + 4} y={top + 4} font-size="10" fill={GREEN}>100%</text>
      <text x={width - right + 4} y={top + plotH} font-size="10" fill={GREEN}>0%</text>
      {props.points.map((p, i) => (
        <rect key={'b' + i} data-testid="chart-time-bar" data-value={p.offered} x={x(i) - Math.max(1, step * 0.35)}
          y={yCount(p.offered)} width={Math.max(2, step * 0.7)} height={top + plotH - yCount(p.offered)}
          fill={BLUE} fill-opacity="0.35"><title>{`${p.label}: ${props.offeredName} ${p.offered}`}</title></rect>
      ))}
      {segments.map((s, k) => s.length === 1
        ? <circle key={'s' + k} cx={s[0].split(',')[0]} cy={s[0].split(',')[1]} r="3" fill={GREEN} />
        : <polyline key={'s' + k} fill="none" stroke={GREEN} stroke-width="2" points={s.join(' ')} />)}
      {props.points.map((p, i) => (i % labelEvery === 0
        ? <text key={'l' + i} x={x(i)} y={height - 8} font-size="10" fill={TEXT} text-anchor="middle">{p.label}</text>
        : null))}
      <text x={left + 4} y={top - 4} font-size="10" fill={BLUE}>{props.offeredName}</text>
      <text x={width - right - 4} y={top - 4} font-size="10" fill={GREEN} text-anchor="end">{props.slName}</text>
    </svg>
  );
}

export function BarsByKey(props: { bars: { key: string; value: number }[]; label: string }) {
  const rowH = 22, labelW = 200, width = 760, valueW = 60;
  const height = Math.max(rowH, props.bars.length * rowH) + 4;
  const max = Math.max(1, ...props.bars.map((b) => b.value));
  const plotW = width - labelW - valueW;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.label} data-testid="chart-keys"
      style="width:100%;height:auto">
      {props.bars.map((b, i) => (
        <g key={b.key} data-testid="chart-key-bar" data-key={b.key} data-value={b.value}>
          <text x={labelW - 6} y={i * rowH + 15} font-size="11" fill={TEXT} text-anchor="end">{b.key}</text>
          <rect x={labelW} y={i * rowH + 4} height={rowH - 8} width={(b.value * plotW) / max} fill={BLUE} />
          <text x={labelW + (b.value * plotW) / max + 4} y={i * rowH + 15} font-size="11" fill={TEXT}>{b.value}</text>
        </g>
      ))}
    </svg>
  );
}
