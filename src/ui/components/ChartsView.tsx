// Small D3 charts from the recorded trace: commits per second, and how long each election took.
// d3 computes scales; React draws the SVG.
import { scaleBand, scaleLinear } from 'd3';
import { chartModel } from '../trace/chart-model';
import { useTraceModel } from './trace-context';

const WIDTH_PX = 520;
const HEIGHT_PX = 150;
const MARGIN = { top: 10, right: 10, bottom: 22, left: 40 };

interface Bar {
  key: string;
  value: number;
  label: string;
}

export function ChartsView() {
  const { rate, elections } = useTraceModel(chartModel, (s) => s.summaries?.charts);
  return (
    <section className="panel analysis" aria-label="charts">
      <header className="panel-head">
        <h2>charts</h2>
      </header>
      <div className="analysis-body analysis-columns">
        <BarChart
          title="commits per second"
          unit="commits/s"
          bars={rate.map((b) => ({ key: String(b.startMs), value: b.commits, label: `${b.commits} commits at ${new Date(b.startMs).toLocaleTimeString()}` }))}
        />
        <BarChart
          title="election time (first LOOKING → LEADING)"
          unit="ms"
          bars={elections.map((e) => ({ key: String(e.startMs), value: e.durationMs, label: `${e.durationMs} ms, leader ${e.leader}` }))}
        />
      </div>
    </section>
  );
}

function BarChart({ title, unit, bars }: { title: string; unit: string; bars: Bar[] }) {
  const x = scaleBand<string>()
    .domain(bars.map((b) => b.key))
    .range([MARGIN.left, WIDTH_PX - MARGIN.right])
    .padding(0.15);
  const max = Math.max(1, ...bars.map((b) => b.value));
  const y = scaleLinear().domain([0, max]).nice().range([HEIGHT_PX - MARGIN.bottom, MARGIN.top]);
  const ticks = y.ticks(4);
  const last = bars[bars.length - 1];
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>
        {title}
        {last !== undefined && <span className="dim"> · last {last.value} {unit}</span>}
      </figcaption>
      <svg width={WIDTH_PX} height={HEIGHT_PX} role="img" aria-label={`${title}: ${bars.length} bars`}>
        {ticks.map((t) => (
          <g key={t} className="chart-tick">
            <line x1={MARGIN.left} x2={WIDTH_PX - MARGIN.right} y1={y(t)} y2={y(t)} />
            <text x={MARGIN.left - 4} y={y(t)} dy="0.32em" textAnchor="end">
              {t}
            </text>
          </g>
        ))}
        {bars.map((b) => (
          <rect key={b.key} className="chart-bar" x={x(b.key)} width={x.bandwidth()} y={y(b.value)} height={y(0) - y(b.value)}>
            <title>{b.label}</title>
          </rect>
        ))}
        <text x={MARGIN.left} y={HEIGHT_PX - 6} className="chart-axis">
          {bars.length === 0 ? 'no data yet' : `${bars.length} ${unit === 'ms' ? 'elections' : 'seconds'}`}
        </text>
      </svg>
    </figure>
  );
}
