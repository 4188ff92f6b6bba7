// Every fault parameter of one run, drawn from the seed (TigerBeetle's VOPR: the seed picks the
// weather as well as the events). Rates are per fault-schedule step (FAULT_STEP_MS).
import type { Prng } from '../zk/prng';

export interface FaultPlan {
  /** One-way latency of client bytes and peer messages. */
  latencyMsMin: number;
  latencyMsMax: number;
  /** Chance a peer message is lost (client streams are TCP-like: they break, they do not lose bytes). */
  peerLossProbability: number;
  /** Per fault step: a random client connection breaks. */
  connectionBreakProbability: number;
  /** Per fault step: a random up server crashes. */
  crashProbability: number;
  /** When a server crashes, chance the un-synced writes are lost too (power loss). */
  loseUnsyncedProbability: number;
  restartDelayMsMin: number;
  restartDelayMsMax: number;
  /** Per fault step: a random partition (symmetric or one-way) starts. */
  partitionProbability: number;
  partitionDurationMsMax: number;
  /** Per fault step: every server loses power at once (un-synced writes lost), then restarts. */
  powerLossProbability: number;
  /** Per fault step: a random server pauses (GC, stopped VM). */
  freezeProbability: number;
  freezeDurationMsMax: number;
  /** Durable-write delay; a slow write takes up to slowStorageMsMax. */
  storageDelayMsMin: number;
  storageDelayMsMax: number;
  slowStorageProbability: number;
  slowStorageMsMax: number;
}

export const FAULT_STEP_MS = 250;

/** No faults at all: fixed small latencies (golden scripts and the calm baseline). */
export const CALM_PLAN: FaultPlan = {
  latencyMsMin: 1,
  latencyMsMax: 1,
  peerLossProbability: 0,
  connectionBreakProbability: 0,
  crashProbability: 0,
  loseUnsyncedProbability: 0,
  restartDelayMsMin: 0,
  restartDelayMsMax: 0,
  partitionProbability: 0,
  partitionDurationMsMax: 0,
  powerLossProbability: 0,
  freezeProbability: 0,
  freezeDurationMsMax: 0,
  storageDelayMsMin: 1,
  storageDelayMsMax: 1,
  slowStorageProbability: 0,
  slowStorageMsMax: 1,
};

/** A plan drawn from the seed: some seeds are calm, most are stormy in a few ways at once. */
export function drawFaultPlan(prng: Prng): FaultPlan {
  const intensity = prng.pick([0, 0.5, 1, 1, 2]);
  const on = (probability: number): number => (prng.chance(0.7) ? probability * intensity : 0);
  const latencyMsMin = prng.int(0, 5);
  return {
    latencyMsMin,
    latencyMsMax: latencyMsMin + prng.int(0, 40),
    peerLossProbability: on(0.02),
    connectionBreakProbability: on(0.06),
    crashProbability: on(0.04),
    loseUnsyncedProbability: prng.pick([0, 0.5, 1]),
    restartDelayMsMin: 50,
    restartDelayMsMax: prng.int(100, 4000),
    partitionProbability: on(0.04),
    partitionDurationMsMax: prng.int(200, 6000),
    powerLossProbability: on(0.01),
    freezeProbability: on(0.04),
    freezeDurationMsMax: prng.int(50, 5000),
    storageDelayMsMin: prng.int(0, 2),
    storageDelayMsMax: prng.int(2, 20),
    slowStorageProbability: on(0.05),
    slowStorageMsMax: prng.int(50, 1500),
  };
}

export function describeFaultPlan(plan: FaultPlan): string {
  return Object.entries(plan)
    .map(([key, value]) => `${key}=${Number.isInteger(value) ? value : (value as number).toFixed(3)}`)
    .join(' ');
}

/**
 * Heavy weather aimed at replication bugs: frequent crashes and whole-ensemble power losses that
 * lose un-synced writes, slow disks (wide windows between "logged" and "durable"), and frequent
 * partitions (half of which isolate the leader).
 */
export const STORM_PLAN: FaultPlan = {
  latencyMsMin: 1,
  latencyMsMax: 20,
  peerLossProbability: 0.005,
  connectionBreakProbability: 0.05,
  crashProbability: 0.08,
  loseUnsyncedProbability: 1,
  restartDelayMsMin: 50,
  restartDelayMsMax: 800,
  partitionProbability: 0.1,
  partitionDurationMsMax: 2500,
  powerLossProbability: 0.04,
  freezeProbability: 0.03,
  freezeDurationMsMax: 1500,
  storageDelayMsMin: 5,
  storageDelayMsMax: 80,
  slowStorageProbability: 0.2,
  slowStorageMsMax: 600,
};
