// A small line chart as inline SVG (no chart library): one series per queue.
const COLOURS = ['#0d4cd3', '#c62828', '#1a7f37', '#b35900', '#6a1b9a', '#00838f'];

export function LineChart(props: { series: { name: string; points: number[] }[]; height?: number; label: string }) {
  const width = 600;
  const height = props.height ?? 160;
  const pad = 24;
  const n = Math.max(2, ...props.series.map((s) => s.points.length));
  const max = Math.max(1, ...props.series.flatMap((s) => s.points));
  const x = (i: number) => pad + (i * (width - 2 * pad)) / (n - 1);
  const y = (v: number) => height - pad - (v * (height - 2 * pad)) / max;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.label} data-testid="chart" style="width:100%;height:auto">
      <line x1={pad} y1={height - pad} x2={width - pad} y2={height - pad} stroke="#d5dae1" />
      <line x1={pad} y1={pad} x2={pad} y2={height - pad} stroke="#d5dae1" />
      <text x={2} y={pad} font-size="10" fill="#5b6470">{max}</text>
      <text x={2} y={height - pad} font-size="10" fill="#5b6470">0</text>
      {props.series.map((s, k) => (
        <g key={s.name}>
          <polyline fill="none" stroke={COLOURS[k % COLOURS.length]} stroke-width="2"
            points={s.points.map((v, i) => `${x(i)},${y(v)}`).join(' ')} />
          <text x={width - pad - 120} y={pad + 12 * k} font-size="10" fill={COLOURS[k % COLOURS.length]}>{s.name}</text>
        </g>
      ))}
    </svg>
  );
}
