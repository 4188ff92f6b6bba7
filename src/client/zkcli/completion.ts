// Tab completion as zkCli's JLineZNodeCompleter does it: the last space-separated word is a znode
// path when it starts with '/', otherwise a command name.

export interface Completion {
  /** Index in the buffer where the completed word starts: replace buffer.slice(from). */
  readonly from: number;
  /** Sorted candidates (whole command names, or child names for a path). */
  readonly candidates: string[];
}

export type ListChildren = (dir: string) => Promise<string[]>;

function lastWord(buffer: string): string {
  if (buffer.endsWith(' ')) return '';
  const words = buffer.split(' ');
  return words[words.length - 1] ?? '';
}

async function completeZNode(buffer: string, token: string, listChildren: ListChildren): Promise<Completion> {
  const idx = token.lastIndexOf('/') + 1;
  const prefix = token.slice(idx);
  // Only the root may end in '/', so the parent of "/a/b" is "/a" and of "/a" is "/".
  const dir = idx === 1 ? '/' : token.slice(0, idx - 1);
  let children: string[];
  try {
    children = await listChildren(dir);
  } catch {
    return { from: 0, candidates: [] };
  }
  const candidates = children.filter((c) => c.startsWith(prefix)).sort();
  return { from: candidates.length === 0 ? buffer.length : buffer.lastIndexOf('/') + 1, candidates };
}

export async function completeLine(buffer: string, commands: readonly string[], listChildren: ListChildren): Promise<Completion> {
  const token = lastWord(buffer);
  if (token.startsWith('/')) return completeZNode(buffer, token, listChildren);
  return { from: buffer.lastIndexOf(' ') + 1, candidates: commands.filter((c) => c.startsWith(token)) };
}
