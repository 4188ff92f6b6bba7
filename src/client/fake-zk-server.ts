// Test support: a scripted ZooKeeper server speaking real jute frames over memoryPipe, plus a
// fake clock implementing Timers. Tests decide every reply; pings can be answered automatically.
import { memoryPipe, type ByteStream, type Connector } from '../net/byte-stream';
import { encodeFrame, FrameDecoder } from '../jute/framing';
import { decodeConnectRequest, encodeConnectResponse } from '../jute/handshake';
import { OpCode, Xid } from '../jute/opcodes';
import { decodeRequest, type ClientRequest, type DecodedRequest } from '../jute/requests';
import { encodeNotification, encodeResponse, type ResponseOf, type ResponseOp } from '../jute/responses';
import type { ConnectRequest, WatcherEvent } from '../jute/session-records';
import { EventType, KeeperState, type Stat } from '../zk/types';
import type { TimerHandle, Timers } from './timers';

export class FakeClock implements Timers {
  nowMs = 0;
  private nextId = 1;
  private readonly due = new Map<number, { atMs: number; fn: () => void }>();

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.due.set(id, { atMs: this.nowMs + Math.max(0, delayMs), fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.due.delete(handle as number);
  }

  /** Runs every timer due within `ms`, in time order (ties by creation), moving the clock. */
  advance(ms: number): void {
    const end = this.nowMs + ms;
    for (;;) {
      let best: [number, { atMs: number; fn: () => void }] | null = null;
      for (const entry of this.due) {
        if (entry[1].atMs <= end && (best === null || entry[1].atMs < best[1].atMs)) best = entry;
      }
      if (best === null) break;
      this.due.delete(best[0]);
      this.nowMs = best[1].atMs;
      best[1].fn();
    }
    this.nowMs = end;
  }

  pendingCount(): number {
    return this.due.size;
  }
}

/** Lets promise continuations (connector results, awaited replies) run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

export class FakeConnection {
  connectRequest: ConnectRequest | null = null;
  readonly requests: DecodedRequest[] = [];
  /** Every complete frame the client sent, raw (the ConnectRequest first). */
  readonly rawFrames: Uint8Array[] = [];
  closed = false;
  closeReason: string | null = null;
  private readonly decoder = new FrameDecoder();

  constructor(
    readonly server: FakeServer,
    private readonly end: ByteStream,
  ) {
    end.onData((bytes) => this.onBytes(bytes));
    end.onClose((reason) => {
      this.closed = true;
      this.closeReason = reason;
    });
  }

  private onBytes(bytes: Uint8Array): void {
    for (const frame of this.decoder.push(bytes)) {
      this.rawFrames.push(frame);
      if (this.connectRequest === null) {
        this.connectRequest = decodeConnectRequest(frame);
        this.server.onConnect?.(this);
        continue;
      }
      const decoded = decodeRequest(frame);
      this.requests.push(decoded);
      if (decoded.request.op === OpCode.ping && this.server.autoPing) this.pong();
      else this.server.onRequest?.(decoded, this);
    }
  }

  /** Requests other than pings, in arrival order. */
  ops(): DecodedRequest[] {
    return this.requests.filter((r) => r.request.op !== OpCode.ping);
  }

  last(): DecodedRequest {
    const ops = this.ops();
    const last = ops[ops.length - 1];
    if (last === undefined) throw new Error('no request received');
    return last;
  }

  accept(opts: { sessionId?: bigint; timeoutMs?: number; passwd?: Uint8Array; readOnly?: boolean } = {}): void {
    this.send(
      encodeConnectResponse({
        protocolVersion: 0,
        timeoutMs: opts.timeoutMs ?? this.connectRequest?.timeoutMs ?? 30_000,
        sessionId: opts.sessionId ?? (this.connectRequest?.sessionId || 0x100n),
        passwd: opts.passwd ?? new Uint8Array(16).fill(7),
        readOnly: opts.readOnly ?? false,
      }),
    );
  }

  /** Answers an expired session: timeout 0, then the server hangs up. */
  expire(): void {
    this.send(encodeConnectResponse({ protocolVersion: 0, timeoutMs: 0, sessionId: 0n, passwd: new Uint8Array(16) }));
    this.close();
  }

  reply<O extends ResponseOp>(req: DecodedRequest, response: ResponseOf<O> | null, opts: { err?: number; zxid?: bigint } = {}): void {
    this.send(this.replyPayload(req, response, opts));
  }

  replyPayload<O extends ResponseOp>(req: DecodedRequest, response: ResponseOf<O> | null, opts: { err?: number; zxid?: bigint } = {}): Uint8Array {
    const op = req.request.op as O;
    const err = opts.err ?? 0;
    return encodeResponse({ xid: req.header.xid, zxid: opts.zxid ?? 0n, err }, op, err === 0 ? response : null);
  }

  /** Several frames in one chunk, as TCP may deliver them. */
  sendBatch(payloads: Uint8Array[]): void {
    const frames = payloads.map(encodeFrame);
    const total = frames.reduce((n, f) => n + f.length, 0);
    const chunk = new Uint8Array(total);
    let offset = 0;
    for (const f of frames) {
      chunk.set(f, offset);
      offset += f.length;
    }
    this.end.send(chunk);
  }

  replyRaw(xid: number, op: ResponseOp, response: unknown, opts: { err?: number; zxid?: bigint } = {}): void {
    this.send(encodeResponse({ xid, zxid: opts.zxid ?? 0n, err: opts.err ?? 0 }, op, response as never));
  }

  pong(): void {
    this.send(encodeResponse({ xid: Xid.PING, zxid: 0n, err: 0 }, OpCode.ping, null));
  }

  notify(type: EventType, path: string, zxid = -1n): void {
    this.send(this.notificationPayload(type, path, zxid));
  }

  notificationPayload(type: EventType, path: string, zxid = -1n): Uint8Array {
    const event: WatcherEvent = { type, state: KeeperState.SyncConnected, path };
    return encodeNotification(event, zxid);
  }

  send(payload: Uint8Array): void {
    this.end.send(encodeFrame(payload));
  }

  close(): void {
    this.end.close();
  }
}

export class FakeServer {
  readonly connections: FakeConnection[] = [];
  up = true;
  autoPing = true;
  onConnect?: (conn: FakeConnection) => void;
  onRequest?: (req: DecodedRequest, conn: FakeConnection) => void;

  constructor(readonly address: string) {}

  get current(): FakeConnection {
    const conn = this.connections[this.connections.length - 1];
    if (conn === undefined) throw new Error(`no connection to ${this.address}`);
    return conn;
  }
}

export class FakeNetwork {
  private readonly servers = new Map<string, FakeServer>();
  readonly attempts: string[] = [];

  server(address: string): FakeServer {
    let server = this.servers.get(address);
    if (server === undefined) {
      server = new FakeServer(address);
      this.servers.set(address, server);
    }
    return server;
  }

  readonly connector: Connector = async (address) => {
    this.attempts.push(address);
    const server = this.servers.get(address);
    if (server === undefined || !server.up) throw new Error(`connection refused: ${address}`);
    const [clientEnd, serverEnd] = memoryPipe();
    server.connections.push(new FakeConnection(server, serverEnd));
    return clientEnd;
  };
}

export function stat(overrides: Partial<Stat> = {}): Stat {
  return {
    czxid: 1n,
    mzxid: 1n,
    ctime: 0n,
    mtime: 0n,
    version: 0,
    cversion: 0,
    aversion: 0,
    ephemeralOwner: 0n,
    dataLength: 0,
    numChildren: 0,
    pzxid: 1n,
    ...overrides,
  };
}

/** The ClientRequest variant whose op set contains O. */
export type RequestWithOp<O, R = ClientRequest> = R extends { op: infer P } ? (O extends P ? R : never) : never;

export function requestOf<O extends ClientRequest['op']>(req: DecodedRequest, op: O): RequestWithOp<O> {
  if (req.request.op !== op) throw new Error(`expected op ${String(op)}, got ${String(req.request.op)}`);
  return req.request as RequestWithOp<O>;
}
