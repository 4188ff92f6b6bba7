// Test doubles for the PeerServer, peerjs Peers and Web Locks (unit tests of the identity code).
import type { LockManagerLike, PeerFactory, PeerLike, StorageLike } from './peerjs-identity';

type Handler = (...args: never[]) => void;

/** An in-memory PeerServer: an id is refused while a peer with another token holds it. */
export class FakePeerServer {
  readonly holders = new Map<string, FakePeer>();
  reachable = true;
  registrations = 0;

  factory(): PeerFactory {
    return (peerId, token) => new FakePeer(this, peerId, token);
  }

  /** Registration as the server does it: same token takes over, different token is refused. */
  register(peer: FakePeer): 'open' | 'taken' | 'unreachable' {
    this.registrations++;
    if (!this.reachable) return 'unreachable';
    const holder = this.holders.get(peer.wantedId);
    if (holder !== undefined && holder !== peer && holder.token !== peer.token) return 'taken';
    this.holders.set(peer.wantedId, peer);
    return 'open';
  }

  drop(peer: FakePeer): void {
    if (this.holders.get(peer.wantedId) === peer) this.holders.delete(peer.wantedId);
  }

  /** Simulates the server losing every socket (each peer sees 'disconnected'). */
  restart(): void {
    const peers = [...this.holders.values()];
    this.holders.clear();
    for (const peer of peers) peer.lostServer();
  }
}

export class FakePeer implements PeerLike {
  id: string | null = null;
  destroyed = false;
  disconnected = false;
  private readonly handlers = new Map<string, Set<Handler>>();

  constructor(
    private readonly server: FakePeerServer,
    readonly wantedId: string,
    readonly token: string,
  ) {
    queueMicrotask(() => this.attempt());
  }

  on(event: string, fn: Handler): this {
    let set = this.handlers.get(event);
    if (set === undefined) this.handlers.set(event, (set = new Set()));
    set.add(fn);
    return this;
  }
  off(event: string, fn: Handler): this {
    this.handlers.get(event)?.delete(fn);
    return this;
  }
  reconnect(): void {
    if (this.destroyed || !this.disconnected) return;
    queueMicrotask(() => this.attempt());
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.disconnected = true;
    this.server.drop(this);
    this.emit('close');
  }
  lostServer(): void {
    this.disconnected = true;
    this.emit('disconnected');
  }

  private attempt(): void {
    if (this.destroyed) return;
    const result = this.server.register(this);
    if (result === 'open') {
      this.id = this.wantedId;
      this.disconnected = false;
      this.emit('open', this.wantedId);
    } else if (result === 'taken') {
      this.emit('error', { type: 'unavailable-id', message: `ID "${this.wantedId}" is taken` });
    } else {
      this.disconnected = true;
      this.emit('error', { type: 'network', message: 'Lost connection to server.' });
    }
  }

  private emit(event: string, ...args: unknown[]): void {
    for (const fn of [...(this.handlers.get(event) ?? [])]) (fn as (...a: unknown[]) => void)(...args);
  }
}

/** Web Locks for one "browser": exclusive, FIFO waiters, ifAvailable and AbortSignal. */
export class FakeLocks implements LockManagerLike {
  private readonly held = new Set<string>();
  private readonly waiters = new Map<string, Array<() => void>>();

  isHeld(name: string): boolean {
    return this.held.has(name);
  }

  request(name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }, callback: (lock: unknown) => Promise<unknown>): Promise<unknown> {
    const run = async (): Promise<unknown> => {
      this.held.add(name);
      try {
        return await callback({ name });
      } finally {
        this.held.delete(name);
        this.waiters.get(name)?.shift()?.();
      }
    };
    if (!this.held.has(name)) return run();
    if (options.ifAvailable) return callback(null);
    return new Promise((resolve, reject) => {
      const queue = this.waiters.get(name) ?? [];
      this.waiters.set(name, queue);
      const go = (): void => void run().then(resolve, reject);
      queue.push(go);
      options.signal?.addEventListener('abort', () => {
        const i = queue.indexOf(go);
        if (i >= 0) queue.splice(i, 1);
        reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
      });
    });
  }
}

export class MemoryStorage implements StorageLike {
  readonly map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
}
