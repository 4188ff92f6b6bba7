// Ephemeral nodes exist exactly while their session lives. On every server the checker can look
// into, an ephemeral's owner must be a live session. At the end of a run, a client still connected
// with its session must see each ephemeral it created (and did not delete) on every server, owned by
// that session; a session its client closed long enough ago must be gone with its ephemerals.
import type { DataTree } from '../../zk/datatree';
import type { SessionTable } from '../../zk/session/session-table';
import type { ServerId } from '../../zk/types';
import type { EphemeralRecord } from '../history';
import { hexZxid, type ViolationLog } from './violation';

const NAME = 'ephemerals-follow-sessions';

export interface InspectableServer {
  id: ServerId;
  tree: DataTree;
  sessions: SessionTable;
}

export interface ClientSessionView {
  clientId: number;
  instance: number;
  sessionId: bigint;
  /** This client still uses the instance and is connected with its session. */
  live: boolean;
  /** When the client closed (or lost) the session, if it did. */
  endedAtMs: number | null;
}

export class EphemeralChecker {
  constructor(private readonly violations: ViolationLog) {}

  /** Every ephemeral on the server belongs to a session the server still tracks. */
  checkServer(server: InspectableServer, atMs: number): void {
    for (const owner of server.tree.sessionsWithEphemerals()) {
      const paths = server.tree.getEphemerals(owner);
      if (paths.length === 0 || server.sessions.has(owner)) continue;
      this.violations.add(NAME, atMs, `s${server.id} keeps ephemeral(s) ${paths.join(',')} of dead session ${hexZxid(owner)}`);
    }
  }

  checkFinal(
    servers: readonly InspectableServer[],
    ephemerals: readonly EphemeralRecord[],
    clients: readonly ClientSessionView[],
    sessionGoneAfterMs: number,
    atMs: number,
  ): void {
    for (const server of servers) this.checkServer(server, atMs);
    const byInstance = new Map(clients.map((c) => [c.instance, c]));
    for (const record of ephemerals) {
      const client = byInstance.get(record.instance);
      if (client === undefined) continue;
      if (client.live && client.sessionId === record.sessionId && !record.deleteRequested) {
        this.expectPresent(servers, record, atMs);
      }
    }
    for (const client of clients) {
      if (client.endedAtMs === null || atMs - client.endedAtMs < sessionGoneAfterMs) continue;
      for (const server of servers) {
        if (server.sessions.has(client.sessionId)) {
          this.violations.add(NAME, atMs, `s${server.id} still has session ${hexZxid(client.sessionId)} ${atMs - client.endedAtMs}ms after c${client.clientId} ended it`);
        }
      }
    }
  }

  private expectPresent(servers: readonly InspectableServer[], record: EphemeralRecord, atMs: number): void {
    for (const server of servers) {
      const node = server.tree.getNode(record.path);
      const owner = node?.stat.ephemeralOwner;
      if (owner === record.sessionId) continue;
      this.violations.add(
        NAME,
        atMs,
        `s${server.id}: ephemeral ${record.path} of live session ${hexZxid(record.sessionId)} (c${record.clientId}) is ${node === undefined ? 'missing' : `owned by ${hexZxid(owner ?? 0n)}`}`,
      );
    }
  }
}
