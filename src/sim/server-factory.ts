// How the simulator makes a server core: a factory, so the standalone server runs today and the
// quorum peer plugs in later with the same host boundary (step(input) -> effects).
import type { DataTree } from '../zk/datatree';
import type { SessionTable } from '../zk/session/session-table';
import type { ServerConfig, ServerEffect, ServerInput } from '../zk/server-api';
import type { Prng } from '../zk/prng';
import type { ServerId, Zxid } from '../zk/types';
import type { LoadedState } from '../storage/storage';
import { StandaloneServer } from '../zk/standalone-server';
import { QuorumPeer } from '../zk/quorum-peer';
import { defaultQuorumPeerConfig, localEnsemble, type QuorumPeerConfig } from '../zk/zab/peer-config';
import type { ServerStateName } from '../zk/trace';

/** A server's role as the simulator polls it after each step (quorum peers only). */
export interface SimRole {
  state: ServerStateName;
  /** Established: a leader after its NEWLEADER quorum, a learner after UPTODATE. */
  serving: boolean;
  /** The epoch it leads or follows in (the leader's new epoch once decided). */
  epoch: number;
}

/** The part of a server core the simulator drives and its checkers inspect. */
export interface SimCore {
  step(input: ServerInput): ServerEffect[];
  readonly lastProcessedZxid: Zxid;
  /** Views for the outside checkers; a core without them is checked from traces only. */
  readonly tree?: DataTree;
  readonly sessions?: SessionTable;
  /** Quorum peers: the role now (polled after each step; standalone servers have none). */
  role?(): SimRole;
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

/** Quorum timing for the simulator: tickTime 200 ms, so initLimit is 2 s and syncLimit 1 s. */
export function quorumFactory(overrides: Partial<QuorumPeerConfig> = {}): ServerFactory {
  return (boot) => {
    const quorum = defaultQuorumPeerConfig(localEnsemble(boot.ensemble), {
      initLimitTicks: 10,
      syncLimitTicks: 5,
      maxNotificationIntervalMs: 1600,
      ...overrides,
    });
    const loaded = boot.loaded;
    const recovered = loaded === null ? undefined : { snapshot: loaded.snapshot?.bytes ?? null, log: loaded.log, meta: loaded.meta };
    const peer = new QuorumPeer(boot.config, quorum, boot.prng, boot.nowMs, recovered);
    return {
      step: (input) => peer.step(input),
      get lastProcessedZxid() {
        return peer.lastProcessedZxid;
      },
      get tree() {
        return peer.tree;
      },
      get sessions() {
        return peer.sessions;
      },
      role: () => ({ state: peer.state, serving: peer.isServing, epoch: peer.leader?.epoch ?? peer.epochs.current }),
    };
  };
}
