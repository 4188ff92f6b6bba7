// The random workload: each simulated client runs one operation at a time (creates, versioned
// setData, deletes, plain and sync'ed reads, watches, ephemerals, session churn) on a few paths,
// and records every call and return in the History for the checkers.
import type { WatchedEvent, Watcher } from '../client/api';
import type { ZooKeeper } from '../client/zookeeper';
import { Code, KeeperException } from '../zk/errors';
import { CreateMode, EventType, OPEN_ACL_UNSAFE } from '../zk/types';
import type { ZkOpInput, ZkOpOutput, ZkOperation } from './checkers/zk-register-model';
import type { History, WatchRegistration, WatchRegistrationKind } from './history';
import type { World } from './world';

export interface WorkloadOptions {
  clients: number;
  /** Register paths the data operations use (each its own linearizability partition). */
  paths: readonly string[];
  thinkMsMax: number;
  sessionTimeoutMs: number;
  /** Readable-trace hook: "c2 call setData /k1 ..." lines. */
  log?: (who: string, text: string) => void;
}

interface ClientSlot {
  clientId: number;
  zk: ZooKeeper;
  instance: number;
  busy: boolean;
  writes: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Replies the register model understands; anything else leaves the operation pending. */
const MODEL_CODES = new Set<number>([Code.OK, Code.NoNode, Code.NodeExists, Code.BadVersion]);

export class Workload {
  private running = false;
  private inFlight = 0;
  private nextInstance = 1;
  readonly slots: ClientSlot[] = [];
  /** Sessions the workload closed (session churn), for the ephemeral checker. */
  readonly endedSessions: Array<{ clientId: number; instance: number; sessionId: bigint; endedAtMs: number }> = [];
  opsIssued = 0;

  constructor(
    private readonly world: World,
    private readonly history: History,
    private readonly options: WorkloadOptions,
  ) {}

  get settled(): boolean {
    return this.inFlight === 0;
  }

  start(): void {
    this.running = true;
    for (let i = 0; i < this.options.clients; i++) {
      const slot = this.openSlot(i + 1);
      this.slots.push(slot);
      this.scheduleNext(slot);
    }
  }

  /** No new operations; those in flight finish (or stay pending). */
  stop(): void {
    this.running = false;
  }

  private openSlot(clientId: number): ClientSlot {
    const { zk } = this.world.createClient({ id: clientId, sessionTimeoutMs: this.options.sessionTimeoutMs });
    return { clientId, zk, instance: this.nextInstance++, busy: false, writes: 0 };
  }

  private scheduleNext(slot: ClientSlot): void {
    if (!this.running) return;
    const thinkMs = this.world.prng.int(0, this.options.thinkMsMax);
    this.world.scheduler.after(thinkMs, `c${slot.clientId} next op`, () => this.issue(slot));
  }

  private issue(slot: ClientSlot): void {
    if (!this.running || slot.busy) return;
    slot.busy = true;
    this.inFlight++;
    this.opsIssued++;
    this.runOne(slot)
      .catch((error: unknown) => this.log(slot, `workload error: ${String(error)}`))
      .finally(() => {
        slot.busy = false;
        this.inFlight--;
        this.scheduleNext(slot);
      });
  }

  private runOne(slot: ClientSlot): Promise<void> {
    const prng = this.world.prng;
    const path = prng.pick(this.options.paths);
    const roll = prng.int(0, 99);
    if (roll < 18) return this.dataOp(slot, { type: 'create', path, data: this.value(slot) });
    if (roll < 38) return this.dataOp(slot, { type: 'setData', path, data: this.value(slot), version: prng.chance(0.5) ? -1 : prng.int(0, 3) });
    if (roll < 46) return this.dataOp(slot, { type: 'delete', path, version: prng.chance(0.6) ? -1 : prng.int(0, 3) });
    if (roll < 58) return this.dataOp(slot, { type: 'getData', path });
    if (roll < 68) return this.dataOp(slot, { type: 'syncGetData', path });
    if (roll < 78) return this.watchOp(slot, path, prng.pick(['data', 'exists'] as const));
    if (roll < 83) return this.watchOp(slot, '/', 'child');
    if (roll < 90) return this.createEphemeral(slot);
    if (roll < 95) return this.deleteEphemeral(slot);
    if (roll < 97) return this.churnSession(slot);
    return this.dataOp(slot, { type: 'getData', path });
  }

  private value(slot: ClientSlot): string {
    return `c${slot.clientId}.${++slot.writes}`;
  }

  // ---- data operations (linearizability history) -----------------------------------------------

  private async dataOp(slot: ClientSlot, input: ZkOpInput): Promise<void> {
    const op: ZkOperation = this.history.addOperation({ clientId: slot.clientId, callTime: this.world.nowMs, input });
    this.log(slot, `call ${describe(input)}`);
    let output: ZkOpOutput | undefined;
    try {
      output = await this.perform(slot.zk, input);
    } catch (error) {
      const code = errorCode(error);
      output = MODEL_CODES.has(code) ? ({ code } as ZkOpOutput) : undefined;
    }
    if (output === undefined) {
      this.log(slot, `pending ${describe(input)}`);
      return;
    }
    op.returnTime = this.world.nowMs;
    op.output = output;
    this.log(slot, `ret ${describe(input)} -> ${describeOutput(output)}`);
  }

  private async perform(zk: ZooKeeper, input: ZkOpInput): Promise<ZkOpOutput> {
    switch (input.type) {
      case 'create':
        await zk.create(input.path, encoder.encode(input.data), OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        return { code: Code.OK };
      case 'setData': {
        const stat = await zk.setData(input.path, encoder.encode(input.data), input.version);
        return { code: Code.OK, version: stat.version };
      }
      case 'delete':
        await zk.delete(input.path, input.version);
        return { code: Code.OK };
      case 'getData': {
        const { data, stat } = await zk.getData(input.path);
        return { code: Code.OK, data: decoder.decode(data ?? new Uint8Array()), version: stat.version };
      }
      case 'syncGetData': {
        await zk.sync(input.path);
        const { data, stat } = await zk.getData(input.path);
        return { code: Code.OK, data: decoder.decode(data ?? new Uint8Array()), version: stat.version };
      }
    }
  }

  // ---- watches ---------------------------------------------------------------------------------

  private async watchOp(slot: ClientSlot, path: string, kind: WatchRegistrationKind): Promise<void> {
    const registration = this.history.addWatch({
      clientId: slot.clientId,
      instance: slot.instance,
      sessionId: slot.zk.getSessionId(),
      path,
      kind,
      registeredAtMs: this.world.nowMs,
    });
    const watcher = this.watcherFor(slot, registration);
    try {
      if (kind === 'child') {
        const { stat } = await slot.zk.getChildren2(path, watcher);
        this.confirm(registration, slot, stat.pzxid);
      } else if (kind === 'data') {
        const { stat } = await slot.zk.getData(path, watcher);
        this.confirm(registration, slot, stat.mzxid);
      } else {
        const stat = await slot.zk.exists(path, watcher);
        // Present: a data watch above its mzxid. Absent: it waits for NodeCreated.
        if (stat !== null) registration.kind = 'data';
        this.confirm(registration, slot, stat === null ? 0n : stat.mzxid);
      }
    } catch (error) {
      this.log(slot, `watch ${kind} ${path} not set: ${codeText(errorCode(error))}`);
    }
  }

  private confirm(registration: WatchRegistration, slot: ClientSlot, lowerZxid: bigint): void {
    registration.confirmed = true;
    registration.lowerZxid = lowerZxid;
    registration.sessionId = slot.zk.getSessionId();
    this.log(slot, `watch#${registration.id} ${registration.kind} ${registration.path} set above 0x${lowerZxid.toString(16)}`);
  }

  private watcherFor(slot: ClientSlot, registration: WatchRegistration): Watcher {
    return (event: WatchedEvent) => {
      if (event.type === EventType.None) return;
      this.history.recordEvent(registration, { type: event.type, path: event.path ?? '', zxid: event.zxid, atMs: this.world.nowMs });
      this.log(slot, `event watch#${registration.id} ${EventType[event.type]} ${event.path} zxid=0x${BigInt.asUintN(64, event.zxid).toString(16)}`);
    };
  }

  // ---- ephemerals and sessions ------------------------------------------------------------------

  private async createEphemeral(slot: ClientSlot): Promise<void> {
    const path = `/e${slot.clientId}`;
    const sessionId = slot.zk.getSessionId();
    try {
      const { stat } = await slot.zk.createWithStat(path, encoder.encode(`eph ${slot.clientId}`), OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
      this.history.ephemerals.push({ clientId: slot.clientId, instance: slot.instance, sessionId: stat.ephemeralOwner, path, czxid: stat.czxid, deleteRequested: false });
      this.log(slot, `ephemeral ${path} created by 0x${BigInt.asUintN(64, stat.ephemeralOwner).toString(16)}`);
    } catch (error) {
      this.log(slot, `ephemeral ${path} (session 0x${sessionId.toString(16)}): ${codeText(errorCode(error))}`);
    }
  }

  private async deleteEphemeral(slot: ClientSlot): Promise<void> {
    const path = `/e${slot.clientId}`;
    for (const record of this.history.ephemerals) {
      if (record.instance === slot.instance && record.path === path) record.deleteRequested = true;
    }
    try {
      await slot.zk.delete(path, -1);
      this.log(slot, `ephemeral ${path} deleted`);
    } catch (error) {
      this.log(slot, `delete ephemeral ${path}: ${codeText(errorCode(error))}`);
    }
  }

  /** Closes the session (its ephemerals must go) and opens a new one for this client. */
  private async churnSession(slot: ClientSlot): Promise<void> {
    const sessionId = slot.zk.getSessionId();
    this.log(slot, `close session 0x${sessionId.toString(16)}`);
    await slot.zk.close();
    this.endedSessions.push({ clientId: slot.clientId, instance: slot.instance, sessionId, endedAtMs: this.world.nowMs });
    const next = this.openSlot(slot.clientId);
    slot.zk = next.zk;
    slot.instance = next.instance;
  }

  private log(slot: ClientSlot, text: string): void {
    this.options.log?.(`c${slot.clientId}`, text);
  }
}

export function errorCode(error: unknown): number {
  if (error instanceof KeeperException) return error.code;
  throw error;
}

function codeText(code: number): string {
  return Code[code] ?? String(code);
}

export function describe(input: ZkOpInput): string {
  switch (input.type) {
    case 'create':
      return `create ${input.path} ${input.data}`;
    case 'setData':
      return `setData ${input.path} ${input.data} v${input.version}`;
    case 'delete':
      return `delete ${input.path} v${input.version}`;
    case 'getData':
      return `getData ${input.path}`;
    case 'syncGetData':
      return `sync+getData ${input.path}`;
  }
}

export function describeOutput(output: ZkOpOutput): string {
  if (output.code !== Code.OK) return Code[output.code];
  const parts = ['OK'];
  if (output.data !== undefined) parts.push(output.data);
  if (output.version !== undefined) parts.push(`v${output.version}`);
  return parts.join(' ');
}
