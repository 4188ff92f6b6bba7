// A recording ZabHost for unit tests of the role machines: every call is kept in order.
import type { QuorumPacket, SessionTouch } from '../../jute/quorum-messages';
import type { TraceBody } from '../trace';
import type { Txn } from '../txn';
import type { ServerId, Zxid } from '../types';
import { CommittedLog } from './committed-log';
import type { EpochKey, ZabHost } from './zab-host';

export type HostCall =
  | { call: 'send'; to: ServerId; packet: QuorumPacket }
  | { call: 'log'; zxid: Zxid }
  | { call: 'commit'; zxid: Zxid }
  | { call: 'saveEpoch'; key: EpochKey; epoch: number }
  | { call: 'truncate'; zxid: Zxid }
  | { call: 'loadSnapshot'; zxid: Zxid }
  | { call: 'established' }
  | { call: 'lost'; reason: string };

export class FakeHost implements ZabHost {
  readonly calls: HostCall[] = [];
  readonly traces: TraceBody[] = [];
  readonly committedLog = new CommittedLog(10);
  lastLogged: Zxid = 0n;
  lastProcessed: Zxid = 0n;
  accepted = 0;
  current = 0;

  lastLoggedZxid(): Zxid {
    return this.lastLogged;
  }
  ackEpochZxid(): Zxid {
    return this.lastLogged;
  }
  lastProcessedZxid(): Zxid {
    return this.lastProcessed;
  }
  acceptedEpoch(): number {
    return this.accepted;
  }
  currentEpoch(): number {
    return this.current;
  }
  snapshot(): { zxid: Zxid; bytes: Uint8Array } {
    return { zxid: this.lastProcessed, bytes: new Uint8Array([1, 2, 3]) };
  }
  takeTouchedSessions(): SessionTouch[] {
    return [];
  }
  send(to: ServerId, packet: QuorumPacket): void {
    this.calls.push({ call: 'send', to, packet });
  }
  log(txn: Txn): void {
    this.lastLogged = txn.header.zxid;
    this.calls.push({ call: 'log', zxid: txn.header.zxid });
  }
  commit(txn: Txn): void {
    this.lastProcessed = txn.header.zxid;
    this.calls.push({ call: 'commit', zxid: txn.header.zxid });
  }
  saveEpoch(key: EpochKey, epoch: number): void {
    if (key === 'acceptedEpoch') this.accepted = epoch;
    else this.current = epoch;
    this.calls.push({ call: 'saveEpoch', key, epoch });
  }
  truncate(zxid: Zxid): boolean {
    this.lastLogged = zxid;
    this.calls.push({ call: 'truncate', zxid });
    return true;
  }
  loadSnapshot(zxid: Zxid): void {
    this.lastLogged = zxid;
    this.lastProcessed = zxid;
    this.calls.push({ call: 'loadSnapshot', zxid });
  }
  established(): void {
    this.calls.push({ call: 'established' });
  }
  lost(reason: string): void {
    this.calls.push({ call: 'lost', reason });
  }
  trace(body: TraceBody): void {
    this.traces.push(body);
  }
  forwardedRequest(): void {}
  touchSessions(): void {}
  revalidateSession(): boolean {
    return true;
  }
  revalidated(): void {}
  synced(): void {}

  /** Calls since the last take, then forgets them. */
  take(): HostCall[] {
    return this.calls.splice(0);
  }

  sent(to?: ServerId): QuorumPacket[] {
    return this.calls.flatMap((c) => (c.call === 'send' && (to === undefined || c.to === to) ? [c.packet] : []));
  }
}
