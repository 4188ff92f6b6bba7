import { describe, it, expect } from 'vitest';
import { HostProvider } from './host-provider';
import { Prng } from '../zk/prng';

describe('HostProvider (StaticHostProvider)', () => {
  it('goes round robin in the given order and asks to pause after a full cycle', () => {
    const hp = new HostProvider(['a:1', 'b:2', 'c:3']);
    expect([hp.next(), hp.next(), hp.next(), hp.next()]).toEqual([
      { address: 'a:1', cycled: false },
      { address: 'b:2', cycled: false },
      { address: 'c:3', cycled: false },
      { address: 'a:1', cycled: true },
    ]);
  });

  it('pauses when it comes back to the last server that accepted a session', () => {
    const hp = new HostProvider(['a:1', 'b:2']);
    hp.next();
    hp.next();
    hp.onConnected(); // b
    expect(hp.next()).toEqual({ address: 'a:1', cycled: false });
    expect(hp.next()).toEqual({ address: 'b:2', cycled: true });
  });

  it('shuffles deterministically from an injected random source', () => {
    const list = ['a:1', 'b:2', 'c:3', 'd:4', 'e:5'];
    const p1 = new Prng(42);
    const p2 = new Prng(42);
    const one = new HostProvider(list, () => p1.nextU32() / 2 ** 32).list();
    const two = new HostProvider(list, () => p2.nextU32() / 2 ** 32).list();
    expect(one).toEqual(two);
    expect([...one].sort()).toEqual(list);
  });
});
