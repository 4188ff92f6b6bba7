// Making real peerjs Peers for our PeerServer (`npm start` runs it on 127.0.0.1, path /peerjs).
// Kept apart from peerjs-identity.ts so the claiming logic is testable without peerjs.
import { Peer } from 'peerjs';
import type { PeerFactory, PeerLike } from './peerjs-identity';
import type { PeerSocketLike } from './peerjs-signalling';

export interface PeerServerAddress {
  host: string;
  port: number;
  path: string;
}

/** What scripts/serve.mjs (the built app, for LANs) tells the page in index.html. */
interface ServedConfig {
  peerPort?: number;
  peerPath?: string;
  iceServers?: RTCIceServer[];
}

function servedConfig(): ServedConfig {
  const config = (globalThis as { __ZOOTABS_CONFIG__?: unknown }).__ZOOTABS_CONFIG__;
  return config !== null && typeof config === 'object' ? (config as ServedConfig) : {};
}

/**
 * Where the PeerServer is: scripts/serve.mjs's config (the built app), else scripts/start.mjs's
 * VITE_PEER_* variables, defaulting to the page's host:9000.
 */
export function peerServerFromEnv(): PeerServerAddress {
  const env = (import.meta as { env?: Record<string, string | undefined> }).env ?? {};
  const served = servedConfig();
  const port = Number(served.peerPort ?? env['VITE_PEER_PORT'] ?? 9000);
  return {
    host: served.peerPort !== undefined ? (globalThis.location?.hostname ?? '127.0.0.1') : (env['VITE_PEER_HOST'] ?? globalThis.location?.hostname ?? '127.0.0.1'),
    port: Number.isInteger(port) && port > 0 ? port : 9000,
    path: served.peerPath ?? env['VITE_PEER_PATH'] ?? '/peerjs',
  };
}

/** STUN/TURN servers for tabs on different networks (`ICE_SERVERS` of scripts/serve.mjs); none by default. */
export function iceServersFromConfig(): RTCIceServer[] {
  const list = servedConfig().iceServers;
  return Array.isArray(list) ? list : [];
}

export function peerjsFactory(server: PeerServerAddress): PeerFactory {
  return (peerId, token) =>
    new Peer(peerId, {
      host: server.host,
      port: server.port,
      path: server.path,
      secure: false,
      token,
      debug: 0,
      config: { iceServers: iceServersFromConfig() },
    }) as unknown as PeerLike;
}

/** The PeerServer socket of a registered peerjs Peer (peerjs marks it internal; its shape is stable in 1.5). */
export function peerSocket(peer: PeerLike): PeerSocketLike {
  const socket = (peer as unknown as { socket?: PeerSocketLike }).socket;
  if (socket === undefined || typeof socket.send !== 'function' || typeof socket.on !== 'function') {
    throw new Error('this peerjs version does not expose its server socket');
  }
  return socket;
}
