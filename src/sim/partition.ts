// Who can reach whom. Nodes are named "s1" (server 1) or "c2" (client 2). A partition splits the
// named nodes into groups that cannot talk across; nodes it does not name reach everyone. One-way
// blocks cut a single direction (asymmetric partitions: 1 hears 2, 2 does not hear 1).

export type NodeName = string;

export class Reachability {
  private groupOf = new Map<NodeName, number>();
  private readonly oneWay = new Set<string>();

  /** Replaces the grouping. `groups` like [["s1"], ["s2", "s3"]]. */
  partition(groups: readonly (readonly NodeName[])[]): void {
    const next = new Map<NodeName, number>();
    groups.forEach((group, index) => {
      for (const node of group) {
        if (next.has(node)) throw new Error(`partition names ${node} twice`);
        next.set(node, index);
      }
    });
    this.groupOf = next;
  }

  /** Messages from `from` to `to` are cut; the other direction is untouched. */
  block(from: NodeName, to: NodeName): void {
    this.oneWay.add(`${from}>${to}`);
  }

  heal(): void {
    this.groupOf = new Map();
    this.oneWay.clear();
  }

  get healed(): boolean {
    return this.groupOf.size === 0 && this.oneWay.size === 0;
  }

  canSend(from: NodeName, to: NodeName): boolean {
    if (this.oneWay.has(`${from}>${to}`)) return false;
    const a = this.groupOf.get(from);
    const b = this.groupOf.get(to);
    return a === undefined || b === undefined || a === b;
  }

  describe(): string {
    if (this.healed) return 'healed';
    const groups = new Map<number, NodeName[]>();
    for (const [node, group] of this.groupOf) groups.set(group, [...(groups.get(group) ?? []), node]);
    const parts = [...groups.values()].map((g) => g.join(','));
    const blocks = [...this.oneWay].map((b) => `block ${b}`);
    return [parts.join('|'), ...blocks].filter((s) => s.length > 0).join(' ');
  }
}

/**
 * Parses "1|2,3" or "s1,c1|s2,s3" into groups of node names; bare numbers name servers.
 * Throws on an empty group or a node named twice.
 */
export function parsePartition(text: string): NodeName[][] {
  const groups = text.split('|').map((group) =>
    group
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
      .map(nodeName),
  );
  if (groups.length < 2 || groups.some((g) => g.length === 0)) throw new Error(`bad partition "${text}": want groups like 1|2,3`);
  return groups;
}

export function nodeName(token: string): NodeName {
  if (/^\d+$/.test(token)) return `s${token}`;
  if (/^[sc]\d+$/.test(token)) return token;
  throw new Error(`bad node name "${token}": want 2, s2 or c1`);
}

export function serverNode(serverId: number): NodeName {
  return `s${serverId}`;
}

export function clientNode(clientId: number): NodeName {
  return `c${clientId}`;
}
