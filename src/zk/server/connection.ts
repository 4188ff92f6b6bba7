// One client connection as the server sees it: its framing state, handshake phase, the session it
// carries, its auth ids, and the FIFO of requests not yet answered (a read waits behind earlier
// writes of the same connection, so a client always sees its own writes).
import { FrameDecoder } from '../../jute/framing';
import type { ClientRequest, RequestHeader } from '../../jute';
import type { ConnectionId, Id, Millis, SessionId, Zxid } from '../types';
import { ConnectionStats } from './stats';

export type ConnectionPhase =
  /** Waiting for the ConnectRequest (or a four-letter word). */
  | 'handshake'
  /** createSession is on its way through the log; frames are held (Apache disables recv). */
  | 'awaitingSession'
  | 'open'
  | 'closed';

export interface Reply {
  err: number;
  zxid: Zxid;
  response: object | null;
}

export interface QueuedRequest {
  header: RequestHeader;
  request: ClientRequest;
  /** The connection's auth ids when the request arrived (Apache copies them into the Request). */
  authIds: readonly Id[];
  receivedAtMs: Millis;
  /** Writes wait for their txn; a read (or an answer known at once) is ready when it reaches the head. */
  kind: 'read' | 'write' | 'answered';
  /** Set when a write's txn has applied (or for 'answered' entries from the start). */
  reply: Reply | null;
  /** Close the connection after this reply (closeSession, Unimplemented). */
  closeAfter: boolean;
}

/** Bound on requests waiting per connection; past it the client is flooding us and is dropped. */
export const MAX_QUEUED_PER_CONNECTION = 10_000;
/** Bound on frames held while the session is being created. */
export const MAX_HELD_FRAMES = 1_000;

export class Connection {
  phase: ConnectionPhase = 'handshake';
  sessionId: SessionId = 0n;
  timeoutMs = 0;
  /** Echo the readOnly flag only to clients that sent one (ProtocolManager). */
  clientSentReadOnly = false;
  readonly authIds: Id[];
  readonly held: Uint8Array[] = [];
  readonly queue: QueuedRequest[] = [];
  readonly stats: ConnectionStats;
  readonly decoder: FrameDecoder;

  constructor(
    readonly id: ConnectionId,
    readonly remoteAddress: string,
    openedAtMs: Millis,
    maxFrameBytes: number,
  ) {
    this.stats = new ConnectionStats(openedAtMs);
    this.decoder = new FrameDecoder({ maxFrameBytes, detectFourLetterWords: true });
    // NIOServerCnxn starts every connection with its ip id (IPAuthenticationProvider).
    this.authIds = [{ scheme: 'ip', id: hostOf(remoteAddress) }];
  }

  get host(): string {
    return hostOf(this.remoteAddress);
  }

  addAuthId(id: Id): void {
    if (!this.authIds.some((a) => a.scheme === id.scheme && a.id === id.id)) this.authIds.push(id);
  }
}

/** "10.0.0.1:5000" -> "10.0.0.1", "[::1]:5000" -> "::1", "peer-abc" -> "peer-abc". */
export function hostOf(remoteAddress: string): string {
  const address = remoteAddress.startsWith('/') ? remoteAddress.slice(1) : remoteAddress;
  if (address.startsWith('[')) {
    const end = address.indexOf(']');
    return end > 0 ? address.slice(1, end) : address;
  }
  const colon = address.lastIndexOf(':');
  if (colon > 0 && address.indexOf(':') === colon) return address.slice(0, colon);
  return address;
}
