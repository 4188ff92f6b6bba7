// A data channel that stays on the page, relayed to the worker over a MessagePort: design (b) of
// docs/browser-platform.md, kept as the fallback for browsers that cannot transfer an
// RTCDataChannel (and measured against the transfer in bench/channel-transfer.ts). The page end is
// src/net/webrtc-relay.ts. Relay messages:
//   page -> worker: {t:'open'} | {t:'data', data: ArrayBuffer} | {t:'close'}
//   worker -> page: {t:'send', data: ArrayBuffer} | {t:'close'}
// bufferedAmount is always 0 here: the page end writes straight into the channel and breaks it if
// the channel's own send queue overflows.
import type { ChannelEventType, ChannelState, DataChannelLike } from './peer-channel';

export type RelayToWorker = { t: 'open' } | { t: 'data'; data: ArrayBuffer } | { t: 'close' };
export type RelayToPage = { t: 'send'; data: ArrayBuffer } | { t: 'close' };

type Listener = (event: { data?: unknown }) => void;

export interface RelayPortLike {
  postMessage(message: RelayToPage, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data?: unknown }) => void): void;
  start?(): void;
  close(): void;
}

export class RelayedChannel implements DataChannelLike {
  readyState: ChannelState = 'connecting';
  readonly bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  binaryType = 'arraybuffer';
  private readonly listeners = new Map<ChannelEventType, Set<Listener>>();

  constructor(
    private readonly port: RelayPortLike,
    readonly label: string,
  ) {
    port.addEventListener('message', (event) => this.fromPage(event.data));
    port.start?.();
  }

  send(data: Uint8Array<ArrayBuffer>): void {
    if (this.readyState !== 'open') throw new Error(`relayed channel is ${this.readyState}`);
    const copy = data.slice();
    this.port.postMessage({ t: 'send', data: copy.buffer }, [copy.buffer]);
  }

  close(): void {
    if (this.readyState === 'closed') return;
    this.port.postMessage({ t: 'close' });
    this.closed();
  }

  addEventListener(type: ChannelEventType, listener: Listener): void {
    let set = this.listeners.get(type);
    if (set === undefined) this.listeners.set(type, (set = new Set()));
    set.add(listener);
  }
  removeEventListener(type: ChannelEventType, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }

  private fromPage(data: unknown): void {
    const m = data as Partial<RelayToWorker> | null;
    if (m?.t === 'open' && this.readyState === 'connecting') {
      this.readyState = 'open';
      this.emit('open', {});
    } else if (m?.t === 'data' && this.readyState === 'open') {
      this.emit('message', { data: (m as { data?: unknown }).data });
    } else if (m?.t === 'close') {
      this.closed();
    }
  }

  private closed(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.port.close();
    this.emit('close', {});
  }

  private emit(type: ChannelEventType, event: { data?: unknown }): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(event);
  }
}
