// QuorumLinks over the BroadcastChannel transport (multi-tab mode without a PeerServer): the page's
// fault controls act per link exactly as over MessagePorts: a partition drops the frames of that
// link both ways while it stays up, and healing resets the connection so ZAB starts over cleanly.
import { describe, expect, it } from 'vitest';
import { FakeClock, FakeHub } from '../net/broadcast-fakes.test-helpers';
import { BroadcastTransport } from '../net/broadcast-transport';
import { Prng } from '../zk/prng';
import { QuorumLinks } from './quorum-links';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function ensemble() {
  const clock = new FakeClock();
  const hub = new FakeHub();
  const peers = [1, 2, 3];
  const got = new Map<number, string[]>();
  const links = new Map<number, QuorumLinks>();
  for (const id of peers) {
    const base = new BroadcastTransport({ selfId: id, channel: hub.open(), clock, incarnation: 100 + id });
    const q = new QuorumLinks({ selfId: id, peers, clock, prng: new Prng(id), base });
    got.set(id, []);
    q.onMessage((from, bytes) => got.get(id)?.push(`${from}:${new TextDecoder().decode(bytes)}`));
    links.set(id, q);
  }
  const run = async (ms: number): Promise<void> => {
    clock.advance(ms, hub);
    await settle();
  };
  return { link: (id: number) => links.get(id) as QuorumLinks, got: (id: number) => got.get(id) as string[], run };
}

describe('QuorumLinks over a BroadcastTransport', () => {
  it('links every peer and drops a partitioned link\'s frames both ways, then heals', async () => {
    const { link, got, run } = ensemble();
    await run(10);
    expect(link(1).linkStates()).toEqual([
      { peer: 2, up: true },
      { peer: 3, up: true },
    ]);
    // Server 1 is cut off from 2 (each side applies its own faults, as the page pushes them).
    link(1).setFaults([{ peer: 2, faults: { partitioned: true, outbound: {} } }]);
    link(2).setFaults([{ peer: 1, faults: { partitioned: true, outbound: {} } }]);
    link(1).send(2, utf8('lost'));
    link(2).send(1, utf8('lost too'));
    link(1).send(3, utf8('through'));
    await run(10);
    expect(got(2)).toEqual([]);
    expect(got(1)).toEqual([]);
    expect(got(3)).toEqual(['1:through']);
    expect(link(1).linkStates()).toContainEqual({ peer: 2, up: true }); // the channel stays open
    link(1).setFaults([]);
    link(2).setFaults([]);
    await run(500);
    link(1).send(2, utf8('after heal'));
    await run(10);
    expect(got(2)).toEqual(['1:after heal']);
  });
});
