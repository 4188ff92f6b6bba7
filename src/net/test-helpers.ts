// Test-only helpers for transports: record what a transport delivers and reports.
import type { ServerId } from '../zk/types';
import type { LinkState, Transport } from './transport';

export interface Recorder {
  messages: Array<{ from: ServerId; text: string }>;
  links: Array<{ peer: ServerId; state: LinkState }>;
}

export function record(transport: Transport): Recorder {
  const rec: Recorder = { messages: [], links: [] };
  transport.onMessage((from, bytes) => rec.messages.push({ from, text: new TextDecoder().decode(bytes) }));
  transport.onLinkChange((peer, state) => rec.links.push({ peer, state }));
  return rec;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
export const texts = (rec: Recorder, from?: ServerId): string[] =>
  rec.messages.filter((m) => from === undefined || m.from === from).map((m) => m.text);
