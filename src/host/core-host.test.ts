import { describe, expect, it } from 'vitest';
import { CoreHost, type SteppableCore } from './core-host';
import type { ServerEffect, ServerInput } from '../zk/server-api';
import type { LogEntry, Storage } from '../storage/storage';

/** A disk whose writes finish only when the test says so, recording what was written in which order. */
class HeldStorage implements Partial<Storage> {
  readonly writes: string[] = [];
  private pending: Array<() => void> = [];
  append(entries: readonly LogEntry[]): Promise<void> {
    this.writes.push(`append ${entries.map((e) => e.zxid).join(',')}`);
    return this.hold();
  }
  setMeta(key: string, value: string): Promise<void> {
    this.writes.push(`meta ${key}=${value}`);
    return this.hold();
  }
  saveSnapshot(): Promise<void> {
    this.writes.push('snapshot');
    return this.hold();
  }
  truncateAfter(): Promise<void> {
    return this.hold();
  }
  private hold(): Promise<void> {
    return new Promise((resolve) => this.pending.push(resolve));
  }
  async finishOne(): Promise<void> {
    this.pending.shift()?.();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  }
}

/** A core that emits scripted effects and records every storage completion it is fed. */
class ScriptedCore implements SteppableCore {
  readonly fed: string[] = [];
  next: ServerEffect[] = [];
  step(input: ServerInput): ServerEffect[] {
    if (input.kind === 'storage.durable') this.fed.push(`durable ${input.batchId}`);
    if (input.kind === 'storage.metaSaved') this.fed.push(`metaSaved ${input.key}`);
    const out = this.next;
    this.next = [];
    return out;
  }
}

const entry = (zxid: number): LogEntry => ({ zxid: BigInt(zxid), bytes: new Uint8Array([zxid]) });

function setup() {
  const core = new ScriptedCore();
  const storage = new HeldStorage();
  const host = new CoreHost(core, storage as unknown as Storage, { send: () => {}, close: () => {} }, { now: () => 0, onFatal: (e) => { throw e; } });
  const emit = (effects: ServerEffect[]) => {
    core.next = effects;
    host.feed({ kind: 'clock', nowMs: 1 });
  };
  return { core, storage, emit };
}

describe('CoreHost storage effects', () => {
  it('joins appends issued while the disk is busy into one write, then reports each batch durable in order', async () => {
    const { core, storage, emit } = setup();
    emit([{ kind: 'storage.append', batchId: 1, entries: [entry(1)] }]);
    await Promise.resolve();
    emit([{ kind: 'storage.append', batchId: 2, entries: [entry(2)] }]);
    emit([{ kind: 'storage.append', batchId: 3, entries: [entry(3), entry(4)] }]);
    await storage.finishOne();
    expect(core.fed).toEqual(['durable 1']);
    await storage.finishOne();
    expect(storage.writes).toEqual(['append 1', 'append 2,3,4']);
    expect(core.fed).toEqual(['durable 1', 'durable 2', 'durable 3']);
  });

  it('never moves an append across another storage effect (an epoch written after its txns stays after them)', async () => {
    const { core, storage, emit } = setup();
    emit([{ kind: 'storage.append', batchId: 1, entries: [entry(1)] }]);
    await Promise.resolve();
    emit([
      { kind: 'storage.append', batchId: 2, entries: [entry(2)] },
      { kind: 'storage.setMeta', key: 'currentEpoch', value: '2' },
      { kind: 'storage.append', batchId: 3, entries: [entry(3)] },
    ]);
    for (let i = 0; i < 4; i++) await storage.finishOne();
    expect(storage.writes).toEqual(['append 1', 'append 2', 'meta currentEpoch=2', 'append 3']);
    expect(core.fed).toEqual(['durable 1', 'durable 2', 'metaSaved currentEpoch', 'durable 3']);
  });
});

/** A core with a deadline: it records the clock values it is fed. */
class DeadlineCore implements SteppableCore {
  readonly clocks: number[] = [];
  deadlineMs = 1_000;
  step(input: ServerInput): ServerEffect[] {
    if (input.kind === 'clock') this.clocks.push(input.nowMs);
    return [];
  }
  nextDeadlineMs(): number {
    return this.deadlineMs;
  }
}

describe('CoreHost deadline wake-ups', () => {
  function setupDeadline() {
    const core = new DeadlineCore();
    let nowMs = 0;
    const timers: Array<{ atMs: number; fire: () => void; cancelled: boolean }> = [];
    const host = new CoreHost(core, {} as Storage, { send: () => {}, close: () => {} }, {
      now: () => nowMs,
      onFatal: (e) => {
        throw e;
      },
      setTimer: (delayMs, fire) => {
        const timer = { atMs: nowMs + delayMs, fire, cancelled: false };
        timers.push(timer);
        return () => {
          timer.cancelled = true;
        };
      },
    });
    /** Moves the fake clock to `toMs`, firing due timers in time order. */
    const advance = (toMs: number): void => {
      for (;;) {
        const due = timers.filter((t) => !t.cancelled && t.atMs <= toMs).sort((a, b) => a.atMs - b.atMs)[0];
        if (due === undefined) break;
        due.cancelled = true;
        nowMs = due.atMs;
        due.fire();
      }
      nowMs = toMs;
    };
    const live = () => timers.filter((t) => !t.cancelled);
    return { core, host, advance, live, setNow: (ms: number) => (nowMs = ms) };
  }

  it('feeds the clock at the core\'s deadline, not only at the periodic clock', () => {
    const { core, host, advance, live } = setupDeadline();
    host.advanceClock(); // clock 0; the deadline at 1000 arms one timer
    expect(live().map((t) => t.atMs)).toEqual([1000]);
    core.deadlineMs = 1_700;
    advance(1_500);
    expect(core.clocks).toEqual([0, 1000]);
    expect(live().map((t) => t.atMs)).toEqual([1700]); // re-armed for the moved deadline
    advance(2_000);
    expect(core.clocks).toEqual([0, 1000, 1700]);
  });

  it('keeps one timer, moves it earlier only, and stops with the host', () => {
    const { core, host, live, setNow } = setupDeadline();
    host.advanceClock();
    core.deadlineMs = 1_500; // later: the timer at 1000 stays (it fires early and re-arms)
    setNow(10);
    host.advanceClock();
    expect(live().map((t) => t.atMs)).toEqual([1000]);
    core.deadlineMs = 400; // earlier: replaces it
    setNow(20);
    host.advanceClock();
    expect(live().map((t) => t.atMs)).toEqual([400]);
    host.stop();
    expect(live()).toEqual([]);
  });

  it('arms no timer for a deadline the clock already passed', () => {
    const { core, host, live, setNow } = setupDeadline();
    core.deadlineMs = 5;
    setNow(10);
    host.advanceClock();
    expect(live()).toEqual([]);
  });
});
