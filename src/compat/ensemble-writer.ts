// A client session (node-zookeeper-client, the same for ours and Apache) that writes continuously
// under /<root>: named creates, sequential creates and setData on one node, in rotation, and keeps a
// record of every write it issued and how it ended (acknowledged, failed, still pending). The
// record is what failover checks compare against (ensemble-verify.ts) and what failover timing
// measures (the first acknowledged write issued after a fault).
import zookeeper from 'node-zookeeper-client';

type NzkClient = ReturnType<typeof zookeeper.createClient>;
interface NzkError {
  getCode(): number;
  name?: string;
}
interface NzkStat {
  version: number;
  mzxid: Buffer;
}

export type WriteKind = 'create' | 'sequential' | 'setData';

export interface WriteRecord {
  index: number;
  kind: WriteKind;
  /** Path asked for (for sequential: the prefix). */
  path: string;
  data: string;
  issuedAtMs: number;
  status: 'pending' | 'acked' | 'failed';
  settledAtMs?: number;
  /** Acked create/sequential: the created path. */
  createdPath?: string;
  /** Acked setData: the returned stat. */
  version?: number;
  mzxid?: bigint;
  errorCode?: number;
}

export interface SessionEvent {
  atMs: number;
  state: string;
}

export interface WriterOptions {
  connectString: string;
  /** Node under which everything is written (created by `prepare`). */
  root: string;
  /** Requests outstanding at once (each worker waits for its reply). */
  inFlight: number;
  /** Pause of each worker between its writes; 0 = back to back. */
  intervalMs: number;
  /** Requested session timeout; the server caps it at 20 x tickTime. */
  sessionTimeoutMs?: number;
  /** node-zookeeper-client spinDelay: pause after trying every server once. */
  spinDelayMs?: number;
  /** Bound on the record, so a runaway writer cannot eat memory. */
  maxWrites?: number;
}

const nowMs = (): number => performance.now();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function bufferToBigint(buffer: Buffer): bigint {
  return buffer.length === 8 ? buffer.readBigInt64BE(0) : -1n;
}

export class ContinuousWriter {
  readonly records: WriteRecord[] = [];
  readonly sessionEvents: SessionEvent[] = [];
  readonly client: NzkClient;
  private running = false;
  private workers: Promise<void>[] = [];
  private waiters: Array<() => void> = [];
  private initialSessionId = '';

  constructor(readonly options: WriterOptions) {
    this.client = zookeeper.createClient(options.connectString, {
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      spinDelay: options.spinDelayMs ?? 50,
      retries: 0,
    });
    this.client.on('state', (state: { name: string }) => {
      this.sessionEvents.push({ atMs: nowMs(), state: state.name });
      this.notify();
    });
  }

  /** Connects and creates the root, /root/s (setData target) and an ephemeral owned by this session. */
  async prepare(timeoutMs = 20_000): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`writer: no session with ${this.options.connectString} in ${timeoutMs} ms`)), timeoutMs);
      this.client.once('connected', () => {
        clearTimeout(timer);
        resolve();
      });
      this.client.connect();
    });
    this.initialSessionId = this.sessionIdHex();
    await this.createOnce(this.options.root, 'root', zookeeper.CreateMode.PERSISTENT);
    await this.createOnce(`${this.options.root}/s`, 's-init', zookeeper.CreateMode.PERSISTENT);
    await this.createOnce(`${this.options.root}/ephemeral`, this.initialSessionId, zookeeper.CreateMode.EPHEMERAL);
  }

  get sessionIdAtStart(): string {
    return this.initialSessionId;
  }

  sessionIdHex(): string {
    return (this.client.getSessionId() as Buffer).toString('hex');
  }

  get ackedCount(): number {
    return this.records.filter((r) => r.status === 'acked').length;
  }

  sawExpired(): boolean {
    return this.sessionEvents.some((e) => e.state === 'EXPIRED');
  }

  start(): void {
    if (this.running) throw new Error('writer already running');
    this.running = true;
    this.workers = Array.from({ length: this.options.inFlight }, () => this.worker());
  }

  /** Stops issuing; waits (bounded) for outstanding writes to settle. */
  async stop(settleTimeoutMs = 10_000): Promise<void> {
    this.running = false;
    const settled = Promise.all(this.workers);
    await Promise.race([settled, sleep(settleTimeoutMs)]);
  }

  close(): void {
    this.client.close();
    this.client.connectionManager?.socket?.destroy();
  }

  /** Resolves once `predicate` holds (checked after every settled write and session event). */
  waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`writer: ${what} not within ${timeoutMs} ms (acked ${this.ackedCount} of ${this.records.length}; events ${JSON.stringify(this.sessionEvents.map((e) => e.state))})`));
      }, timeoutMs);
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  /** Waits until `count` writes issued at or after `sinceMs` are acknowledged. */
  waitAckedIssuedSince(sinceMs: number, count: number, timeoutMs: number): Promise<void> {
    return this.waitFor(() => this.ackedIssuedSince(sinceMs).length >= count, timeoutMs, `${count} acked writes issued after the fault`);
  }

  ackedIssuedSince(sinceMs: number): WriteRecord[] {
    return this.records.filter((r) => r.status === 'acked' && r.issuedAtMs >= sinceMs);
  }

  /** Milliseconds from `sinceMs` to the first acknowledgement of a write issued at or after it. */
  firstAckAfter(sinceMs: number): number | null {
    const settled = this.ackedIssuedSince(sinceMs).map((r) => r.settledAtMs!);
    return settled.length === 0 ? null : Math.min(...settled) - sinceMs;
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private async worker(): Promise<void> {
    const maxWrites = this.options.maxWrites ?? 100_000;
    while (this.running && this.records.length < maxWrites) {
      await this.writeOne(this.records.length);
      if (this.sawExpired()) {
        this.running = false;
        return;
      }
      if (this.options.intervalMs > 0) await sleep(this.options.intervalMs);
    }
  }

  private writeOne(index: number): Promise<void> {
    const kinds: readonly WriteKind[] = ['create', 'sequential', 'setData'];
    const kind = kinds[index % kinds.length]!;
    const root = this.options.root;
    const path = kind === 'create' ? `${root}/n${index}` : kind === 'sequential' ? `${root}/q-` : `${root}/s`;
    const record: WriteRecord = { index, kind, path, data: `${kind[0]}${index}`, issuedAtMs: nowMs(), status: 'pending' };
    this.records.push(record);
    return new Promise((resolve) => {
      const settle = (error: NzkError | null, apply: () => void): void => {
        record.settledAtMs = nowMs();
        if (error) {
          record.status = 'failed';
          record.errorCode = error.getCode();
        } else {
          record.status = 'acked';
          apply();
        }
        this.notify();
        resolve();
      };
      const data = Buffer.from(record.data);
      if (kind === 'setData') {
        this.client.setData(path, data, -1, (error: NzkError | null, stat: NzkStat) =>
          settle(error, () => {
            record.version = stat.version;
            record.mzxid = bufferToBigint(stat.mzxid);
          }),
        );
      } else {
        const mode = kind === 'sequential' ? zookeeper.CreateMode.PERSISTENT_SEQUENTIAL : zookeeper.CreateMode.PERSISTENT;
        this.client.create(path, data, mode, (error: NzkError | null, created: string) => settle(error, () => (record.createdPath = created)));
      }
    });
  }

  private createOnce(path: string, data: string, mode: number): Promise<void> {
    return new Promise((resolve, reject) =>
      this.client.create(path, Buffer.from(data), mode, (error: NzkError | null) => {
        if (error && error.getCode() !== zookeeper.Exception.NODE_EXISTS) reject(new Error(`create ${path}: ${String(error)}`));
        else resolve();
      }),
    );
  }
}
