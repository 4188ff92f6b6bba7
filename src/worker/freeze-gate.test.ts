import { describe, expect, it } from 'vitest';
import type { ServerEffect, ServerInput } from '../zk/server-api';
import { FreezeGate, FROZEN_INPUTS_MAX } from './freeze-gate';

function recordingCore() {
  const seen: ServerInput[] = [];
  return {
    seen,
    step(input: ServerInput): ServerEffect[] {
      seen.push(input);
      return [{ kind: 'trace', event: { type: 'warn', message: input.kind, server: 1, atMs: 0 } }];
    },
  };
}

const message = (n: number): ServerInput => ({ kind: 'peer.message', from: 2, bytes: new Uint8Array([n]) });

describe('FreezeGate', () => {
  it('passes inputs through while running', () => {
    const core = recordingCore();
    const gate = new FreezeGate(core);
    expect(gate.step(message(1))).toHaveLength(1);
    expect(core.seen).toHaveLength(1);
  });

  it('holds every input but the clock while frozen, and hands them back in order on thaw', () => {
    const core = recordingCore();
    const gate = new FreezeGate(core);
    gate.freeze();
    expect(gate.step(message(1))).toEqual([]);
    expect(gate.step({ kind: 'clock', nowMs: 5 })).toEqual([]);
    expect(gate.step({ kind: 'storage.durable', batchId: 3 })).toEqual([]);
    expect(gate.step(message(2))).toEqual([]);
    expect(core.seen).toEqual([]);
    expect(gate.buffered).toBe(3);
    const held = gate.thaw();
    expect(held.map((i) => i.kind)).toEqual(['peer.message', 'storage.durable', 'peer.message']);
    expect(gate.frozen).toBe(false);
    gate.step(message(3));
    expect(core.seen).toHaveLength(1);
  });

  it('bounds the buffer, dropping the oldest peer or client input but never a storage completion', () => {
    const gate = new FreezeGate(recordingCore());
    gate.freeze();
    gate.step({ kind: 'storage.durable', batchId: 1 });
    for (let i = 0; i < FROZEN_INPUTS_MAX; i++) gate.step(message(i % 256));
    expect(gate.buffered).toBe(FROZEN_INPUTS_MAX);
    expect(gate.takeDropped()).toBe(1);
    expect(gate.takeDropped()).toBe(0);
    const held = gate.thaw();
    expect(held[0]).toEqual({ kind: 'storage.durable', batchId: 1 });
    expect((held[1] as { bytes: Uint8Array }).bytes[0]).toBe(1);
  });
});
