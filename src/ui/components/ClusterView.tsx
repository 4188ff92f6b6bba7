// The ensemble (single-tab simulation, or multi-tab mode from the other tabs' reports): servers placed by D3 geometry, links coloured by health, peer messages
// drawn in flight by kind, the quorum indicator, and the fault controls.
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ServerId } from '../../zk/types';
import { laneOf, layoutCluster, pointAlong, type Point } from '../cluster-geometry';
import { linkHealth, linkSettings, nextObserver, quorumSummary, shownServers, STATUS_REPORT_MS, type ClusterState, type LinkHealth, type LinkSetting } from '../cluster-model';
import { select } from 'd3';
import { FLIGHT_KINDS, FLIGHTS_PER_LINK_MAX, flightProgress, type Flight } from '../flights';
import { useClusterController } from './cluster-context';
import { LinkForm, PartitionForm } from './FaultForms';
import { ServerNode } from './ServerNode';
import { useAppStore, useThrottledAppState } from './store-context';
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
        <Flights centers={layout.centers} />
      </svg>
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

/**
 * Dots travelling along the links. Drawn with a d3 data join from an animation-frame loop, outside
 * React: re-rendering a component per frame costs far more than moving a few circles.
 */
const Flights = memo(function Flights({ centers }: { centers: Map<ServerId, Point> }) {
  const store = useAppStore();
  const groupRef = useRef<SVGGElement>(null);
  const centersRef = useRef(centers);
  centersRef.current = centers;
  useEffect(() => {
    const group = groupRef.current;
    if (group === null) return;
    let frame = 0;
    let lastDrawMs = 0;
    const draw = (nowMs: number) => {
      frame = 0;
      const flights = store.getState().flights;
      if (nowMs - lastDrawMs >= FRAME_MIN_MS) {
        lastDrawMs = nowMs;
        drawFlights(group, flights, nowMs, centersRef.current);
      }
      if (flights.some((f) => f.startMs + f.durationMs > nowMs)) frame = requestAnimationFrame(draw);
      else drawFlights(group, [], nowMs, centersRef.current);
    };
    const wake = () => {
      if (frame === 0) frame = requestAnimationFrame(draw);
    };
    wake();
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.flights !== previous.flights) wake();
    });
    return () => {
      unsubscribe();
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [store]);
  return <g className="flights" ref={groupRef} />;
});

/** About 25 frames a second is smooth enough for dots and costs far less than 60. */
const FRAME_MIN_MS = 40;

interface PlacedFlight {
  flight: Flight;
  at: Point;
}

function drawFlights(group: SVGGElement, flights: readonly Flight[], nowMs: number, centers: Map<ServerId, Point>): void {
  const placed: PlacedFlight[] = [];
  for (const flight of flights) {
    const t = flightProgress(flight, nowMs);
    const from = centers.get(flight.from);
    const to = centers.get(flight.to);
    if (t === null || from === undefined || to === undefined) continue;
    placed.push({ flight, at: pointAlong(from, to, t, laneOf(flight.from, flight.to)) });
  }
  select(group)
    .selectAll<SVGCircleElement, PlacedFlight>('circle')
    .data(placed, (d) => d.flight.id)
    .join((enter) =>
      enter
        .append('circle')
        .attr('class', (d) => `flight flight-${d.flight.kind}`)
        .attr('r', (d) => (d.flight.kind === 'ping' ? 2.5 : 4.5))
        .call((circle) => circle.append('title').text((d) => d.flight.label)),
    )
    .attr('cx', (d) => d.at.x)
    .attr('cy', (d) => d.at.y);
  // A dot that stands for more messages of a busy link carries their count.
  select(group)
    .selectAll<SVGTextElement, PlacedFlight>('text')
    .data(
      placed.filter((p) => (p.flight.more ?? 0) > 0),
      (d) => d.flight.id,
    )
    .join((enter) => enter.append('text').attr('class', 'flight-more').attr('dx', 7).attr('dy', -6).attr('fill', 'currentColor').attr('font-size', 10))
    .text((d) => `+${d.flight.more ?? 0}`)
    .attr('x', (d) => d.at.x)
    .attr('y', (d) => d.at.y);
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
