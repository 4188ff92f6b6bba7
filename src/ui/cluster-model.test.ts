import { describe, expect, it } from 'vitest';
import type { ServerStatus } from '../worker/protocol';
import {
  directedLinkKey,
  connectString,
  initialCluster,
  leaderOf,
  linkFaultsFor,
  linkHealth,
  nextObserver,
  quorumSpec,
  quorumSummary,
  serverIdOfAddress,
  shownServers,
  type ClusterState,
} from './cluster-model';

function status(state: ServerStatus['state'], epoch = 1, links: Array<{ peer: number; up: boolean }> = []): ServerStatus {
  return {
    state,
    epoch,
    lastZxid: 0n,
    nodeCount: 1,
    sessionCount: 0,
    watchCount: 0,
    connectionCount: 0,
    containerPaths: [],
    ttlPaths: [],
    quorum: { leaderId: null, serving: true, acceptedEpoch: epoch, vote: null, connectedSessions: 0, links, frozen: false, buffered: 0 },
  };
}

function running(size: number, states: Record<number, ServerStatus['state']>): ClusterState {
  const cluster = initialCluster(size);
  for (const [id, state] of Object.entries(states)) {
    const server = cluster.servers[Number(id)];
    if (server === undefined) throw new Error(`no server ${id}`);
    server.life = 'running';
    server.phase = 'serving';
    server.status = status(state);
  }
  return cluster;
}

describe('cluster model', () => {
  it('lists voters 1..size and observer slots after them', () => {
    expect(quorumSpec(3)).toMatchObject({ voters: [1, 2, 3], observers: [4, 5, 6] });
    expect(connectString(3)).toBe('server1:2181,server2:2181,server3:2181');
    const cluster = initialCluster(3);
    expect(shownServers(cluster).map((s) => s.myid)).toEqual([1, 2, 3]);
    expect(nextObserver(cluster)).toBe(4);
  });

  it('summarizes the quorum and finds the leader', () => {
    const cluster = running(3, { 1: 'FOLLOWING', 2: 'FOLLOWING', 3: 'LEADING' });
    expect(leaderOf(cluster)).toBe(3);
    expect(quorumSummary(cluster).text).toBe('quorum: 3 of 3 up, leader 3');
    (cluster.servers[3] as { life: string }).life = 'killed';
    expect(quorumSummary(cluster).text).toBe('quorum: 2 of 3 up, electing');
    (cluster.servers[2] as { frozen: boolean }).frozen = true;
    expect(quorumSummary(cluster)).toMatchObject({ up: 1, hasQuorum: false, text: 'quorum: 1 of 3 up, no quorum' });
  });

  it('prefers the newest epoch when two servers still claim to lead', () => {
    const cluster = running(3, { 1: 'LEADING', 2: 'LEADING', 3: 'FOLLOWING' });
    (cluster.servers[2] as { status: ServerStatus }).status = status('LEADING', 4);
    expect(leaderOf(cluster)).toBe(2);
  });

  it('classifies link health', () => {
    const cluster = running(3, { 1: 'FOLLOWING', 2: 'FOLLOWING', 3: 'LEADING' });
    expect(linkHealth(cluster, 1, 2)).toBe('up');
    cluster.links[directedLinkKey(1, 2)] = { latencyMs: 200, lossProbability: 0 };
    // One slow direction makes the link slow, seen from either end.
    expect(linkHealth(cluster, 2, 1)).toBe('slow');
    expect(linkHealth(cluster, 1, 2)).toBe('slow');
    cluster.groups = { 1: 'A', 2: 'A', 3: 'B' };
    expect(linkHealth(cluster, 1, 3)).toBe('partitioned');
    expect(linkHealth(cluster, 1, 2)).toBe('slow');
    (cluster.servers[2] as { status: ServerStatus }).status = status('FOLLOWING', 1, [{ peer: 1, up: false }]);
    expect(linkHealth(cluster, 1, 2)).toBe('broken');
    (cluster.servers[3] as { life: string }).life = 'killed';
    expect(linkHealth(cluster, 2, 3)).toBe('broken');
  });

  it('derives each worker\'s link faults from the partition and link settings', () => {
    const cluster = running(3, { 1: 'FOLLOWING', 2: 'FOLLOWING', 3: 'LEADING' });
    expect(linkFaultsFor(cluster, 1)).toEqual([]);
    cluster.groups = { 1: 'A', 2: 'A', 3: 'B', 4: 'A', 5: 'A', 6: 'A' };
    cluster.links[directedLinkKey(1, 2)] = { latencyMs: 100, lossProbability: 0.1 };
    expect(linkFaultsFor(cluster, 1)).toEqual([
      { peer: 2, faults: { partitioned: false, outbound: { latencyMs: 100, lossProbability: 0.1 } } },
      { peer: 3, faults: { partitioned: true, outbound: {} } },
    ]);
    // The setting is 1's outbound direction only: 2 sends to 1 unhindered.
    expect(linkFaultsFor(cluster, 2)).toEqual([{ peer: 3, faults: { partitioned: true, outbound: {} } }]);
    expect(linkFaultsFor(cluster, 3).map((l) => l.peer)).toEqual([1, 2, 4, 5, 6]);
  });

  it('parses server addresses of the connect string', () => {
    expect(serverIdOfAddress('server3:2181')).toBe(3);
    expect(serverIdOfAddress('tab1:2181')).toBeNull();
    expect(serverIdOfAddress('server:2181')).toBeNull();
  });
});
