// The small shape that says what kind of znode a row is. Shapes differ, not only colours.
import type { NodeKindInfo } from '../node-kind';

export function KindGlyph({ info, x, y }: { info: NodeKindInfo; x: number; y: number }) {
  const shape = (() => {
    switch (info.kind) {
      case 'persistent':
        return <circle className="glyph glyph-persistent" cx={x} cy={y} r={3.5} />;
      case 'ephemeral':
        return <circle className="glyph glyph-ephemeral" cx={x} cy={y} r={3.5} />;
      case 'container':
        return <rect className="glyph glyph-container" x={x - 3.5} y={y - 3.5} width={7} height={7} />;
      case 'ttl':
        return <path className="glyph glyph-ttl" d={`M${x} ${y - 4.5} L${x + 4.5} ${y} L${x} ${y + 4.5} L${x - 4.5} ${y} Z`} />;
    }
  })();
  return (
    <g aria-hidden="true">
      {shape}
      {info.sequential && <circle className="glyph-seq" cx={x + 4} cy={y - 4} r={1.8} />}
    </g>
  );
}

export function KindLegend() {
  const items: Array<[string, NodeKindInfo]> = [
    ['persistent', { kind: 'persistent', sequential: false }],
    ['ephemeral', { kind: 'ephemeral', sequential: false }],
    ['container', { kind: 'container', sequential: false }],
    ['TTL', { kind: 'ttl', sequential: false }],
    ['sequential', { kind: 'persistent', sequential: true }],
  ];
  return (
    <ul className="legend" aria-label="znode kinds">
      {items.map(([label, info]) => (
        <li key={label}>
          <svg width={12} height={12} aria-hidden="true">
            <KindGlyph info={info} x={6} y={6.5} />
          </svg>
          {label}
        </li>
      ))}
    </ul>
  );
}
