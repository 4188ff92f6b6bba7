import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { chunkFrames } from '../net/chunking';
import { encodePeerHello } from '../net/peer-hello';
import { settle } from './peer-channel.test-helpers';
import { startPeerHost } from './peer-host';
import { isPeerPageToWorker, isPeerWorkerToPage, quorumSeqOf, type PeerWorkerToPage } from './peer-messages';
import type { RelayToPage } from './peer-relay-channel';

describe('peer messages', () => {
  it('recognise their own shapes only', () => {
    expect(isPeerWorkerToPage({ type: 'peer-channel-wanted', peer: 2, after: 0 })).toBe(true);
    expect(isPeerWorkerToPage({ type: 'peer-channel-wanted', peer: 2 })).toBe(false);
    expect(isPeerWorkerToPage({ type: 'peer-channel-wanted', peer: 0, after: 0 })).toBe(false);
    expect(quorumSeqOf('quorum-12')).toBe(12);
    expect(quorumSeqOf('control')).toBe(0);
    expect(quorumSeqOf(null)).toBe(0);
    expect(isPeerWorkerToPage({ type: 'status' })).toBe(false);
    const { port1 } = new MessageChannel();
    expect(isPeerPageToWorker({ type: 'peer-relay', peer: 2, port: port1, label: 'quorum-1' })).toBe(true);
    expect(isPeerPageToWorker({ type: 'peer-relay', peer: 2, port: {}, label: 'quorum-1' })).toBe(false);
    expect(isPeerPageToWorker({ type: 'peer-channel', peer: 2, channel: {} })).toBe(false); // no RTCDataChannel in Node
    expect(isPeerPageToWorker({ type: 'start' })).toBe(false);
    expect(isPeerPageToWorker({ type: 'peer-channels-closed', peer: 2, upTo: 3 })).toBe(true);
    expect(isPeerPageToWorker({ type: 'peer-channels-closed', peer: 2, upTo: 0 })).toBe(false);
    expect(isPeerPageToWorker({ type: 'peer-channels-closed', peer: 2, upTo: 1.5 })).toBe(false);
    expect(isPeerPageToWorker({ type: 'peer-channels-closed', peer: 2 })).toBe(false);
    port1.close();
  });
});

describe('startPeerHost over a relayed channel', () => {
  it('asks the page for channels, and runs the transport over a relay port', async () => {
    const posted: PeerWorkerToPage[] = [];
    const timers = new Set<() => void>();
    const clock = {
      nowMs: () => 0,
      setTimer: (_ms: number, fn: () => void) => (timers.add(fn), () => void timers.delete(fn)),
    };
    const host = startPeerHost(1, (m) => posted.push(m), { clock });
    const got: string[] = [];
    host.transport.onMessage((from, bytes) => got.push(`${from}:${new TextDecoder().decode(bytes)}`));
    host.transport.connect(2);
    expect(posted).toEqual([{ type: 'peer-channel-wanted', peer: 2, after: 0 }]);
    expect(host.handle({ type: 'something-else' })).toBe(false);

    // The page end of the relay, played by the test.
    const { port1: page, port2: worker } = new MessageChannel();
    const toPage: RelayToPage[] = [];
    page.on('message', (m: RelayToPage) => toPage.push(m));
    expect(host.handle({ type: 'peer-relay', peer: 2, port: worker, label: 'quorum-4' })).toBe(true);
    page.postMessage({ t: 'open' });
    await until(() => toPage.length === 1);
    const hello = new Uint8Array((toPage[0] as { data: ArrayBuffer }).data);
    expect(hello).toEqual(encodePeerHello({ sid: 1, listenPort: 0 }));

    const farHello = encodePeerHello({ sid: 2, listenPort: 0 }).slice().buffer;
    page.postMessage({ t: 'data', data: farHello }, [farHello]);
    await until(() => host.transport.linkState(2) === 'up');
    const chunk = chunkFrames(new TextEncoder().encode('hi'))[0]!.slice().buffer;
    page.postMessage({ t: 'data', data: chunk }, [chunk]);
    await until(() => got.length === 1);
    expect(got).toEqual(['2:hi']);
    host.transport.send(2, new TextEncoder().encode('yo'));
    await until(() => toPage.length === 2);
    expect(toPage[1]?.t).toBe('send');

    // The page's channel closes: the link goes down, and the next request names the lost channel.
    page.postMessage({ t: 'close' });
    await until(() => host.transport.linkState(2) === 'down');
    const due = [...timers];
    timers.clear();
    due.forEach((fire) => fire()); // the reconnect delay passes
    await until(() => posted.length === 2);
    expect(posted[1]).toEqual({ type: 'peer-channel-wanted', peer: 2, after: 4 });
    host.transport.close();
    page.close();
  });
});

describe('startPeerHost when the far server is killed', () => {
  /** A host with an up link to server 2 over a relay labelled `label`; the test plays the page. */
  async function upLink(label: string) {
    const timers = new Set<() => void>();
    const clock = { nowMs: () => 0, setTimer: (_ms: number, fn: () => void) => (timers.add(fn), () => void timers.delete(fn)) };
    const posted: PeerWorkerToPage[] = [];
    const host = startPeerHost(1, (m) => posted.push(m), { clock });
    host.transport.connect(2);
    const { port1: page, port2: worker } = new MessageChannel();
    const toPage: RelayToPage[] = [];
    page.on('message', (m: RelayToPage) => toPage.push(m));
    host.handle({ type: 'peer-relay', peer: 2, port: worker, label });
    page.postMessage({ t: 'open' });
    const farHello = encodePeerHello({ sid: 2, listenPort: 0 }).slice().buffer;
    page.postMessage({ t: 'data', data: farHello }, [farHello]);
    await until(() => host.transport.linkState(2) === 'up');
    return { host, page, toPage, posted };
  }

  it("closes the channel the killed server's worker held (a reset socket), then asks for a new one", async () => {
    const { host, page, toPage } = await upLink('quorum-3');
    expect(host.handle({ type: 'peer-channels-closed', peer: 2, upTo: 3 })).toBe(true);
    await until(() => host.transport.linkState(2) === 'down');
    await until(() => toPage.some((m) => m.t === 'close')); // our end closed: the page closes the channel
    expect(host.transport.stats.linkDowns).toBe(1);
    host.transport.close();
    page.close();
  });

  it('keeps a channel newer than the notice: it reached the restarted worker', async () => {
    const { host, page, toPage } = await upLink('quorum-4');
    host.handle({ type: 'peer-channels-closed', peer: 2, upTo: 3 });
    host.handle({ type: 'peer-channels-closed', peer: 3, upTo: 9 }); // no channel to server 3: nothing
    await settle(5);
    expect(host.transport.linkState(2)).toBe('up');
    expect(toPage.some((m) => m.t === 'close')).toBe(false);
    host.transport.close();
    page.close();
  });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await settle(1);
  expect(check()).toBe(true);
}
