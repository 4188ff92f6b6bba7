// Page end of a relayed quorum channel (design (b), see src/worker/peer-relay-channel.ts): the
// RTCDataChannel stays on the page and every frame crosses to the worker by postMessage.
import type { RelayToPage, RelayToWorker } from '../worker/peer-relay-channel';

/** Pipes `channel` to a new MessagePort pair; returns the port to transfer to the worker. */
export function relayChannel(channel: RTCDataChannel): MessagePort {
  const { port1, port2 } = new MessageChannel();
  const post = (message: RelayToWorker, transfer: Transferable[] = []): void => port1.postMessage(message, transfer);
  channel.binaryType = 'arraybuffer';
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    post({ t: 'close' });
    port1.close();
    channel.close();
  };
  channel.addEventListener('open', () => post({ t: 'open' }));
  channel.addEventListener('message', (event: MessageEvent) => {
    if (event.data instanceof ArrayBuffer) post({ t: 'data', data: event.data }, [event.data]);
  });
  channel.addEventListener('close', close);
  channel.addEventListener('error', close);
  port1.onmessage = (event: MessageEvent) => {
    const m = event.data as RelayToPage;
    if (m.t === 'close') return close();
    if (m.t !== 'send' || channel.readyState !== 'open') return;
    try {
      channel.send(m.data);
    } catch {
      close(); // the channel's send queue overflowed: a broken connection
    }
  };
  if (channel.readyState === 'open') queueMicrotask(() => post({ t: 'open' }));
  return port2;
}
