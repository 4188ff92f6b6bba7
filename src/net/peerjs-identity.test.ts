import { describe, expect, it } from 'vitest';
import type { Clock } from './clock';
import { FakeLocks, FakePeerServer, MemoryStorage, type FakePeer } from './peerjs-fakes.test-helpers';
import { ClaimError, claimMyid, keepClaim, type ClaimOptions } from './peerjs-identity';
import { myidLockName, myidOfPeerId, peerIdFor, roleOf } from './peerjs-ids';

/** Virtual time: a timer fires on the next macrotask and moves the clock forward by its delay. */
function virtualClock(): Clock & { now: number } {
  const clock = {
    now: 0,
    nowMs: () => clock.now,
    setTimer(delayMs: number, fn: () => void) {
      let cancelled = false;
      setTimeout(() => {
        if (cancelled) return;
        clock.now += delayMs;
        fn();
      }, 0);
      return () => void (cancelled = true);
    },
  };
  return clock;
}

let tokens = 0;
function tab(server: FakePeerServer, locks: FakeLocks | null, storage = new MemoryStorage(), extra: Partial<ClaimOptions> = {}): ClaimOptions {
  return {
    cluster: 'demo',
    createPeer: server.factory(),
    storage,
    locks,
    clock: virtualClock(),
    reclaimWindowMs: 500,
    newToken: () => `t${++tokens}`,
    ...extra,
  };
}

describe('peer ids', () => {
  it('names servers zootabs-<cluster>-<myid> and parses them back', () => {
    expect(peerIdFor('demo', 3)).toBe('zootabs-demo-3');
    expect(myidOfPeerId('demo', 'zootabs-demo-3')).toBe(3);
    expect(myidOfPeerId('demo', 'zootabs-demo2-3')).toBeNull();
    expect(myidOfPeerId('demo', 'zootabs-demo-03')).toBeNull();
    expect(myidOfPeerId('demo', 'zootabs-demo-x')).toBeNull();
  });

  it('encodes cluster names peerjs would refuse, without colliding with plain names', () => {
    const odd = peerIdFor('a--b', 1);
    expect(odd).toMatch(/^zootabs_x[0-9a-f]+-1$/);
    expect(odd).not.toBe(peerIdFor('a-b', 1));
    expect(myidOfPeerId('a--b', odd)).toBe(1);
    expect(peerIdFor('trailing-', 2)).not.toContain('--');
  });

  it('rejects myids out of range', () => {
    expect(() => peerIdFor('demo', 0)).toThrow(RangeError);
    expect(() => peerIdFor('demo', 1.5)).toThrow(RangeError);
    expect(() => peerIdFor('demo', 256)).toThrow(RangeError);
  });

  it('makes tabs beyond the cluster size observers', () => {
    expect(roleOf(3, 3)).toBe('participant');
    expect(roleOf(4, 3)).toBe('observer');
    expect(() => roleOf(1, 0)).toThrow(RangeError);
  });
});

describe('claimMyid', () => {
  it('gives successive tabs myids 1, 2, 3', async () => {
    const server = new FakePeerServer();
    const locks = new FakeLocks();
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await claimMyid(tab(server, locks))).myid);
    expect(ids).toEqual([1, 2, 3]);
    expect([...server.holders.keys()].sort()).toEqual(['zootabs-demo-1', 'zootabs-demo-2', 'zootabs-demo-3']);
    expect(locks.isHeld(myidLockName('demo', 2))).toBe(true);
  });

  it('gives racing tabs of separate browsers distinct myids', async () => {
    const server = new FakePeerServer();
    const claims = await Promise.all([0, 1, 2, 3, 4].map(() => claimMyid(tab(server, new FakeLocks()))));
    expect(claims.map((c) => c.myid).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('takes the lowest free myid after one is released', async () => {
    const server = new FakePeerServer();
    const locks = new FakeLocks();
    const a = await claimMyid(tab(server, locks));
    await claimMyid(tab(server, locks));
    a.release({ forget: true });
    await new Promise((r) => setTimeout(r, 0)); // lock release is asynchronous, as in browsers
    expect((await claimMyid(tab(server, locks))).myid).toBe(1);
  });

  it('re-claims the same myid after a reload, even while the old registration lingers', async () => {
    const server = new FakePeerServer();
    const locks = new FakeLocks();
    await claimMyid(tab(server, locks));
    const storage = new MemoryStorage();
    const before = await claimMyid(tab(server, locks, storage));
    await claimMyid(tab(server, locks));
    // The reload: the page's lock goes, its PeerServer socket is still registered.
    const oldPeer = before.peer as FakePeer;
    const lockName = myidLockName('demo', 2);
    expect(locks.isHeld(lockName)).toBe(true);
    before.release();
    (oldPeer as { destroyed: boolean }).destroyed = false;
    server.holders.set('zootabs-demo-2', oldPeer);
    const after = await claimMyid(tab(server, locks, storage));
    expect(after.myid).toBe(2);
    expect(after.reclaimed).toBe(true);
    expect(server.holders.get('zootabs-demo-2')).toBe(after.peer);
  });

  it('waits for the reloading tab to let go of its lock', async () => {
    const server = new FakePeerServer();
    const locks = new FakeLocks();
    const storage = new MemoryStorage();
    const before = await claimMyid(tab(server, locks, storage));
    const pending = claimMyid(tab(server, locks, storage));
    await new Promise((r) => setTimeout(r, 0));
    before.release();
    const after = await pending;
    expect(after.myid).toBe(1);
    expect(after.reclaimed).toBe(true);
  });

  it('does not let a duplicated tab (copied sessionStorage) steal the original tab\'s myid', async () => {
    const server = new FakePeerServer();
    const locks = new FakeLocks();
    const storage = new MemoryStorage();
    const original = await claimMyid(tab(server, locks, storage));
    const copy = new MemoryStorage();
    for (const [k, v] of storage.map) copy.setItem(k, v);
    const duplicate = await claimMyid(tab(server, locks, copy));
    expect(duplicate.myid).toBe(2);
    expect(server.holders.get('zootabs-demo-1')).toBe(original.peer);
    expect(JSON.parse(copy.getItem('zootabs-myid-claim-demo') ?? '{}').myid).toBe(2);
  });

  it('scans for a new myid when the remembered one went to another browser', async () => {
    const server = new FakePeerServer();
    const storage = new MemoryStorage();
    const first = await claimMyid(tab(server, new FakeLocks(), storage));
    first.release();
    const thief = await claimMyid(tab(server, new FakeLocks()));
    expect(thief.myid).toBe(1);
    const reloaded = await claimMyid(tab(server, new FakeLocks(), storage));
    expect(reloaded.myid).toBe(2);
    expect(reloaded.reclaimed).toBe(false);
  });

  it('ignores a damaged sessionStorage entry', async () => {
    const server = new FakePeerServer();
    const storage = new MemoryStorage();
    storage.setItem('zootabs-myid-claim-demo', '{"myid": "one"');
    expect((await claimMyid(tab(server, new FakeLocks(), storage))).myid).toBe(1);
  });

  it('fails clearly when every myid is taken', async () => {
    const server = new FakePeerServer();
    const locks = new FakeLocks();
    await claimMyid(tab(server, locks, new MemoryStorage(), { maxMyid: 2 }));
    await claimMyid(tab(server, locks, new MemoryStorage(), { maxMyid: 2 }));
    await expect(claimMyid(tab(server, locks, new MemoryStorage(), { maxMyid: 2 }))).rejects.toThrow(/every myid from 1 to 2/);
  });

  it('fails clearly when the PeerServer cannot be reached, without holding a lock', async () => {
    const server = new FakePeerServer();
    server.reachable = false;
    const locks = new FakeLocks();
    await expect(claimMyid(tab(server, locks))).rejects.toThrow(ClaimError);
    expect(locks.isHeld(myidLockName('demo', 1))).toBe(false);
  });
});

describe('keepClaim', () => {
  it('re-registers after the PeerServer restarts', async () => {
    const server = new FakePeerServer();
    const options = tab(server, new FakeLocks());
    const claim = await claimMyid(options);
    let reconnected = 0;
    const lost: string[] = [];
    keepClaim(claim, { onLost: (r) => lost.push(r), onReconnected: () => reconnected++ }, { clock: options.clock! });
    server.restart();
    await new Promise((r) => setTimeout(r, 5));
    expect(reconnected).toBe(1);
    expect(lost).toEqual([]);
    expect(server.holders.get('zootabs-demo-1')).toBe(claim.peer);
  });

  it('reports the claim lost when another tab took the id meanwhile', async () => {
    const server = new FakePeerServer();
    const options = tab(server, new FakeLocks());
    const claim = await claimMyid(options);
    const lost: string[] = [];
    keepClaim(claim, { onLost: (r) => lost.push(r) }, { clock: options.clock! });
    server.restart();
    await claimMyid(tab(server, new FakeLocks()));
    await new Promise((r) => setTimeout(r, 5));
    expect(lost).toHaveLength(1);
    expect(lost[0]).toContain('myid 1');
  });
});
