// The safety phase's weather: every FAULT_STEP_MS the seed's plan may crash a server (restarting it
// later, sometimes losing its un-synced writes), partition the nodes (symmetric or one-way), freeze
// a server, or reset a client connection. Every draw comes from the world's Prng.
import type { ServerId } from '../zk/types';
import { FAULT_STEP_MS } from './fault-plan';
import { clientNode, serverNode, type NodeName } from './partition';
import type { World } from './world';

export class FaultSchedule {
  private active = false;
  private partitionGeneration = 0;
  faultsInjected = 0;

  constructor(
    private readonly world: World,
    private readonly clientIds: () => readonly number[],
    /** The serving leader, if any: half the server faults aim at it (where ZAB bugs hide). */
    private readonly leader: () => ServerId | null = () => null,
  ) {}

  start(): void {
    this.active = true;
    this.step();
  }

  stop(): void {
    this.active = false;
  }

  private step(): void {
    if (!this.active) return;
    const { world } = this;
    const plan = world.plan;
    const prng = world.prng;
    if (prng.chance(plan.crashProbability)) this.crashOne();
    if (prng.chance(plan.partitionProbability)) this.partitionSome();
    if (prng.chance(plan.freezeProbability)) this.freezeOne();
    if (prng.chance(plan.powerLossProbability)) this.powerLoss();
    if (prng.chance(plan.connectionBreakProbability)) this.breakOne();
    world.scheduler.after(FAULT_STEP_MS, 'fault step', () => this.step());
  }

  private upServers(): ServerId[] {
    return [...this.world.servers.values()].filter((s) => s.life === 'up').map((s) => s.id);
  }

  /** A random up server, or (half the time) the leader. */
  private pickVictim(): ServerId | null {
    const up = this.upServers();
    if (up.length === 0) return null;
    const leader = this.leader();
    if (leader !== null && up.includes(leader) && this.world.prng.chance(0.5)) return leader;
    return this.world.prng.pick(up);
  }

  private crashOne(): void {
    const id = this.pickVictim();
    if (id === null) return;
    const { world } = this;
    const loseUnsynced = world.prng.chance(world.plan.loseUnsyncedProbability);
    this.faultsInjected++;
    world.crash(id, loseUnsynced);
    const delayMs = world.prng.int(world.plan.restartDelayMsMin, world.plan.restartDelayMsMax);
    world.scheduler.after(delayMs, `s${id} restart`, () => {
      if (this.active && world.server(id).life === 'down') world.restart(id);
    });
  }

  /** A correlated failure: what a quorum acknowledged must be durable on it, or it is gone now. */
  private powerLoss(): void {
    const { world } = this;
    this.faultsInjected++;
    world.note('world', 'power loss: every server');
    for (const id of this.upServers()) world.crash(id, true);
    for (const id of world.servers.keys()) {
      const delayMs = world.prng.int(world.plan.restartDelayMsMin, Math.max(world.plan.restartDelayMsMin, world.plan.restartDelayMsMax));
      world.scheduler.after(delayMs, `s${id} restart`, () => {
        if (this.active && world.server(id).life === 'down') world.restart(id);
      });
    }
  }

  private partitionSome(): void {
    const { world } = this;
    const nodes: NodeName[] = [...[...world.servers.keys()].map(serverNode), ...this.clientIds().map(clientNode)];
    this.faultsInjected++;
    if (world.prng.chance(0.3) && nodes.length >= 2) {
      const from = world.prng.pick(nodes);
      const to = world.prng.pick(nodes.filter((n) => n !== from));
      world.block(from, to);
    } else {
      const groups: NodeName[][] = [[], []];
      const leader = this.leader();
      const isolateLeader = leader !== null && world.prng.chance(0.4);
      for (const node of nodes) {
        if (isolateLeader && node.startsWith('s')) groups[node === serverNode(leader) ? 0 : 1]!.push(node);
        else groups[world.prng.int(0, 1)]!.push(node);
      }
      if (groups[0]!.length === 0 || groups[1]!.length === 0) return;
      world.partition(groups);
    }
    const generation = ++this.partitionGeneration;
    const durationMs = world.prng.int(50, Math.max(50, world.plan.partitionDurationMsMax));
    world.scheduler.after(durationMs, 'heal', () => {
      if (generation === this.partitionGeneration) world.heal();
    });
  }

  private freezeOne(): void {
    const id = this.pickVictim();
    if (id === null) return;
    const { world } = this;
    this.faultsInjected++;
    world.freeze(id, world.prng.int(20, Math.max(20, world.plan.freezeDurationMsMax)));
  }

  private breakOne(): void {
    const links = this.world.openLinks();
    if (links.length === 0) return;
    const link = this.world.prng.pick(links);
    this.faultsInjected++;
    link.break('connection reset by fault');
    this.world.note('world', `reset ${link.clientNode}<->${link.serverNode}`);
  }
}
