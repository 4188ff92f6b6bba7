import { describe, expect, it } from 'vitest';
import { claimMyidLocally, localClaimKey } from './broadcast-claim';
import { FakeLocks, MemoryStorage } from './peerjs-fakes.test-helpers';
import { myidLockName } from './peerjs-ids';

function copyOf(storage: MemoryStorage): MemoryStorage {
  const copy = new MemoryStorage();
  for (const [k, v] of storage.map) copy.setItem(k, v);
  return copy;
}

describe('claimMyidLocally (Web Locks, no PeerServer)', () => {
  it('gives tabs of one browser the lowest free myids, never the same one twice', async () => {
    const locks = new FakeLocks();
    const claims = [];
    for (let i = 0; i < 4; i++) claims.push(await claimMyidLocally({ cluster: 'c', locks, storage: new MemoryStorage() }));
    expect(claims.map((c) => c.myid)).toEqual([1, 2, 3, 4]);
    expect(locks.isHeld(myidLockName('c', 2))).toBe(true);
    claims[1]?.release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(locks.isHeld(myidLockName('c', 2))).toBe(false);
    const next = await claimMyidLocally({ cluster: 'c', locks, storage: new MemoryStorage() });
    expect(next.myid).toBe(2);
  });

  it('keeps the myid across a reload (sessionStorage), and forget drops it', async () => {
    const locks = new FakeLocks();
    const storage = new MemoryStorage();
    await claimMyidLocally({ cluster: 'c', locks, storage: new MemoryStorage() }); // another tab holds 1
    const first = await claimMyidLocally({ cluster: 'c', locks, storage });
    expect(first.myid).toBe(2);
    expect(storage.getItem(localClaimKey('c'))).toBe('2');
    first.release(); // the page unloads
    const reloaded = await claimMyidLocally({ cluster: 'c', locks, storage, reclaimWindowMs: 50 });
    expect(reloaded).toMatchObject({ myid: 2, reclaimed: true });
    reloaded.release({ forget: true });
    expect(storage.getItem(localClaimKey('c'))).toBeNull();
  });

  it('a duplicated tab (same sessionStorage, lock still held) takes the next free myid', async () => {
    const locks = new FakeLocks();
    const storage = new MemoryStorage();
    const original = await claimMyidLocally({ cluster: 'c', locks, storage });
    const copy = await claimMyidLocally({ cluster: 'c', locks, storage: copyOf(storage), reclaimWindowMs: 20 });
    expect([original.myid, copy.myid]).toEqual([1, 2]);
  });

  it('says so in plain words when every myid is taken or Web Locks are missing', async () => {
    const locks = new FakeLocks();
    await claimMyidLocally({ cluster: 'c', locks, storage: null, maxMyid: 1 });
    await expect(claimMyidLocally({ cluster: 'c', locks, storage: null, maxMyid: 1 })).rejects.toThrow(/every myid from 1 to 1 .* taken/);
    await expect(claimMyidLocally({ cluster: 'c', locks: null, storage: null })).rejects.toThrow(/no Web Locks/);
  });
});
