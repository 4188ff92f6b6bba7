// How the simulator makes a server core: a factory, so the standalone server runs today and the
// quorum peer plugs in later with the same host boundary (step(input) -> effects).
import type { DataTree } from '../zk/datatree';
import type { SessionTable } from '../zk/session/session-table';
import type { ServerConfig, ServerEffect, ServerInput } from '../zk/server-api';
import type { Prng } from '../zk/prng';
import type { ServerId, Zxid } from '../zk/types';
import type { LoadedState } from '../storage/storage';
import { StandaloneServer } from '../zk/standalone-server';

/** The part of a server core the simulator drives and its checkers inspect. */
export interface SimCore {
  step(input: ServerInput): ServerEffect[];
  readonly lastProcessedZxid: Zxid;
  /** Views for the outside checkers; a core without them is checked from traces only. */
  readonly tree?: DataTree;
  readonly sessions?: SessionTable;
}

export interface ServerBoot {
  serverId: ServerId;
  /** Every server of the ensemble, this one included (1 for standalone). */
  ensemble: readonly ServerId[];
  config: ServerConfig;
  /** Drawn from the world's seed: the core's own randomness (session passwords, snapshot jitter). */
  prng: Prng;
  nowMs: number;
  /** What the disk held at (re)start; null on first start with an empty disk. */
  loaded: LoadedState | null;
}

export type ServerFactory = (boot: ServerBoot) => SimCore;

export const standaloneFactory: ServerFactory = (boot) => {
  const loaded = boot.loaded;
  const recovered =
    loaded === null || (loaded.snapshot === null && loaded.log.length === 0)
      ? undefined
      : { snapshot: loaded.snapshot?.bytes ?? null, log: loaded.log };
  return new StandaloneServer(boot.config, boot.prng, boot.nowMs, recovered);
};
