// Quota node layout (Quotas.java) and the set of quota roots (DataTree's PathTrie).

export const PROC_ZOOKEEPER = '/zookeeper';
export const QUOTA_ZOOKEEPER = '/zookeeper/quota';
export const CONFIG_ZOOKEEPER = '/zookeeper/config';
export const LIMIT_NODE = 'zookeeper_limits';
export const STAT_NODE = 'zookeeper_stats';

export function quotaLimitPath(path: string): string {
  return `${QUOTA_ZOOKEEPER}${path}/${LIMIT_NODE}`;
}
export function quotaStatPath(path: string): string {
  return `${QUOTA_ZOOKEEPER}${path}/${STAT_NODE}`;
}
/** Quotas.trimQuotaPath: drops the "/zookeeper/quota" prefix (by length, as Java does). */
export function trimQuotaPath(quotaPath: string): string {
  return quotaPath.substring(QUOTA_ZOOKEEPER.length);
}

/**
 * The quota roots. Mirrors PathTrie semantics: the deepest marked ancestor-or-self wins, the root
 * never counts, and deleting a path drops everything under it too.
 */
export class QuotaRoots {
  private readonly roots = new Set<string>();

  add(path: string): void {
    const normalized = normalize(path);
    if (normalized !== '') this.roots.add(normalized);
  }

  delete(path: string): void {
    const normalized = normalize(path);
    if (normalized === '') return;
    for (const root of [...this.roots]) {
      if (root === normalized || root.startsWith(normalized + '/')) this.roots.delete(root);
    }
  }

  clear(): void {
    this.roots.clear();
  }

  /** DataTree.getMaxPrefixWithQuota: the deepest quota root covering `path`, or null. */
  maxPrefix(path: string): string | null {
    if (this.roots.size === 0) return null; // the usual case; every write asks (log replay too)
    let prefix = '';
    let found: string | null = null;
    for (const part of path.split('/')) {
      if (part === '') continue;
      prefix += '/' + part;
      if (this.roots.has(prefix)) found = prefix;
    }
    return found;
  }

  list(): string[] {
    return [...this.roots].sort();
  }
}

/** PathTrie splits on '/' and ignores empty components. */
function normalize(path: string): string {
  return path
    .split('/')
    .filter((p) => p !== '')
    .map((p) => '/' + p)
    .join('');
}
