// The ensemble (single-tab simulation, or multi-tab mode from the other tabs' reports): servers placed by D3 geometry, links coloured by health, peer messages
// drawn in flight by kind, the quorum indicator, and the fault controls.
import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ServerId } from '../../zk/types';
import { layoutCluster } from '../cluster-geometry';
import { linkHealth, linkSettings, nextObserver, quorumSummary, shownServers, STATUS_REPORT_MS, type ClusterState, type LinkHealth, type LinkSetting } from '../cluster-model';
import { FLIGHT_KINDS, FLIGHTS_PER_LINK_MAX } from '../flights';
import { useClusterController } from './cluster-context';
import { LinkForm, PartitionForm } from './FaultForms';
import { ServerNode } from './ServerNode';
import { FlightsCanvas } from './FlightsCanvas';
import { useThrottledAppState } from './store-context';
import { useNowMs } from './wall-clock';

const CARD_WIDTH_PX = 208;
const CARD_HEIGHT_PX = 138;
const LINK_HEALTHS: readonly LinkHealth[] = ['up', 'slow', 'partitioned', 'broken'];
/**
 * The diagram re-renders at most this often: statuses and reports arrive with every write under
 * load, and the cards need not redraw faster than a person reads them.
 */
export const CLUSTER_REFRESH_MS = 100;
/** The moving dots and changing cards re-lay out and repaint the diagram alone. */
const DIAGRAM_CONTAINMENT = { contain: 'layout paint' } as const;

type OpenForm = 'partition' | 'links' | null;

export function ClusterView() {
  const controller = useClusterController();
  const cluster = useThrottledAppState((s) => s.cluster, CLUSTER_REFRESH_MS);
  const [form, setForm] = useState<OpenForm>(null);
  const tabs = controller?.tabs === true;
  // Multi-tab mode: the other tabs' servers are drawn from their reports, which go stale.
  const nowMs = useNowMs(tabs ? STATUS_REPORT_MS : null);
  if (cluster === null || controller === null) return null;
  const summary = tabs ? quorumSummary(cluster, nowMs) : quorumSummary(cluster);
  const servers = shownServers(cluster);
  const faulty = cluster.groups !== null || Object.keys(cluster.links).length > 0;
  return (
    <section className="panel cluster" aria-label="ensemble">
      <header className="panel-head">
        <h2>ensemble</h2>
        <span className={`quorum-pill ${summary.hasQuorum ? 'has-quorum' : 'no-quorum'}`} role="status" aria-label="quorum">
          {summary.text}
        </span>
        <span className="spacer" />
        <div className="cluster-actions">
          <button onClick={() => controller.killLeader()} disabled={summary.leader === null} className="danger">
            Kill leader
          </button>
          <button onClick={() => setForm(form === 'partition' ? null : 'partition')} aria-expanded={form === 'partition'}>
            Partition
          </button>
          <button onClick={() => setForm(form === 'links' ? null : 'links')} aria-expanded={form === 'links'}>
            Links
          </button>
          <button onClick={() => controller.heal()} disabled={!faulty}>
            Heal
          </button>
          <button
            onClick={() => controller.addServer()}
            disabled={!tabs && nextObserver(cluster) === null}
            title={tabs ? 'opens another tab of this cluster: it claims the next free myid' : 'starts an observer in a new worker'}
          >
            Add server
          </button>
        </div>
      </header>
      {form === 'partition' && <PartitionForm cluster={cluster} servers={servers} onDone={() => setForm(null)} />}
      {form === 'links' && <LinkForm cluster={cluster} servers={servers} onDone={() => setForm(null)} />}
      <Diagram cluster={cluster} nowMs={tabs ? nowMs : null} />
      <Legend />
    </section>
  );
}

function Diagram({ cluster, nowMs }: { cluster: ClusterState; nowMs: number | null }) {
  const bodyRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 640, height: 360 });
  useLayoutEffect(() => {
    const body = bodyRef.current;
    if (body === null) return;
    const measure = () => setSize({ width: body.clientWidth, height: body.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(body);
    return () => observer.disconnect();
  }, []);
  const servers = shownServers(cluster);
  const ids = servers.map((s) => s.myid);
  const idsKey = ids.join(',');
  const compact = ids.length > 6;
  const cardWidth = compact ? 168 : CARD_WIDTH_PX;
  const layout = useMemo(
    () => layoutCluster(idsKey === '' ? [] : idsKey.split(',').map(Number), size.width, size.height, cardWidth, CARD_HEIGHT_PX),
    [idsKey, size.width, size.height, cardWidth],
  );
  return (
    <div className="cluster-body" ref={bodyRef} style={DIAGRAM_CONTAINMENT}>
      <svg className="cluster-svg" width={size.width} height={size.height} aria-hidden="true">
        <g className="cluster-links">
          {layout.links.map(({ a, b, from, to }) => {
            const health = linkHealth(cluster, a, b);
            return <line key={`${a}-${b}`} className={`link link-${health}`} x1={from.x} y1={from.y} x2={to.x} y2={to.y} />;
          })}
        </g>
        <g className="link-labels">
          {layout.links.map(({ a, b, from, to }) => {
            const text = linkLabel(cluster, a, b);
            if (text === null) return null;
            return (
              <text key={`${a}-${b}`} x={(from.x + to.x) / 2} y={(from.y + to.y) / 2 - 9} textAnchor="middle" className={`link-label link-label-${linkHealth(cluster, a, b)}`}>
                {text}
              </text>
            );
          })}
        </g>
      </svg>
      <FlightsCanvas centers={layout.centers} widthPx={size.width} heightPx={size.height} />
      {servers.map((server) => {
        const center = layout.centers.get(server.myid);
        if (center === undefined) return null;
        return <ServerNode key={server.myid} server={server} left={center.x - cardWidth / 2} top={center.y - CARD_HEIGHT_PX / 2} width={cardWidth} nowMs={nowMs} />;
      })}
    </div>
  );
}

/** What a faulty link's midpoint says: "partitioned", "400 ms", "400 ms · 5% loss". */
function linkLabel(cluster: ClusterState, a: ServerId, b: ServerId): string | null {
  const health = linkHealth(cluster, a, b);
  if (health === 'partitioned') return 'partitioned';
  if (health !== 'slow') return null;
  const { forward, backward } = linkSettings(cluster, a, b);
  if (forward === undefined && backward === undefined) return null;
  const same = forward !== undefined && backward !== undefined && forward.latencyMs === backward.latencyMs && forward.lossProbability === backward.lossProbability;
  if (same) return settingText(forward);
  const parts: string[] = [];
  if (forward !== undefined) parts.push(`${a}→${b} ${settingText(forward)}`);
  if (backward !== undefined) parts.push(`${b}→${a} ${settingText(backward)}`);
  return parts.join(', ');
}

function settingText(setting: LinkSetting): string {
  const parts: string[] = [];
  if (setting.latencyMs > 0) parts.push(`${setting.latencyMs} ms`);
  if (setting.lossProbability > 0) parts.push(`${Math.round(setting.lossProbability * 100)}% loss`);
  return parts.join(' · ');
}

const Legend = memo(function Legend() {
  return (
    <footer className="cluster-legend" aria-label="legend">
      <span className="legend-title">messages</span>
      {FLIGHT_KINDS.map((kind) => (
        <span key={kind} className="legend-item">
          <svg width="10" height="10" aria-hidden="true">
            <circle className={`flight flight-${kind}`} cx="5" cy="5" r="4" />
          </svg>
          {kind}
        </span>
      ))}
      <span className="legend-item" title={`a link shows at most ${FLIGHTS_PER_LINK_MAX} dots; its newest dot counts the messages beyond`}>
        +N more on a busy link
      </span>
      <span className="legend-title">links</span>
      {LINK_HEALTHS.map((health) => (
        <span key={health} className="legend-item">
          <svg width="22" height="10" aria-hidden="true">
            <line className={`link link-${health}`} x1="1" y1="5" x2="21" y2="5" />
          </svg>
          {health}
        </span>
      ))}
    </footer>
  );
});
