// ZKUtil's tree walks that zkCli uses: depth-first visiting (ls -R, setAcl -R, setquota's child
// check) and breadth-first listing (deleteall), plus deleteall's batched multi-delete.
import type { Op } from '../api';
import { Code } from '../../zk/errors';
import { isKeeperError } from './cli-errors';
import { javaCompare } from './java-text';
import { validatePath } from './path-utils';
import type { ZkCalls } from './zk-calls';

export type Visitor = (path: string) => Promise<void> | void;

function childPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}

/** ZKUtil.visitSubTreeDFS: the root (which must exist), then each level's sorted children. */
export async function visitSubTreeDFS(zk: ZkCalls, path: string, watch: boolean, visit: Visitor): Promise<void> {
  validatePath(path);
  await zk.getData(path, watch);
  await visit(path);
  await visitChildren(zk, path, watch, visit);
}

async function visitChildren(zk: ZkCalls, path: string, watch: boolean, visit: Visitor): Promise<void> {
  try {
    const children = (await zk.getChildren(path, watch)).sort(javaCompare);
    for (const child of children) await visit(childPath(path, child));
    for (const child of children) await visitChildren(zk, childPath(path, child), watch, visit);
  } catch (e) {
    // A node listed but deleted before it could be read is skipped, as ZKUtil does.
    if (isKeeperError(e) && e.code === Code.NoNode) return;
    throw e;
  }
}

/** ZKUtil.listSubTreeBFS: root first, children in server order. */
export async function listSubTreeBFS(zk: ZkCalls, root: string): Promise<string[]> {
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    const node = tree[i] as string;
    for (const child of await zk.getChildren(node, false)) tree.push(childPath(node, child));
  }
  return tree;
}

/** ZKUtil.deleteRecursive: leaves first, in multi() batches; false if some batch failed. */
export async function deleteRecursive(zk: ZkCalls, root: string, batchSize: number): Promise<boolean> {
  validatePath(root);
  const tree = await listSubTreeBFS(zk, root);
  let success = true;
  let ops: Op[] = [];
  for (let i = tree.length - 1; i >= 0; i--) {
    ops.push({ type: 'delete', path: tree[i] as string, version: -1 });
    if (ops.length === batchSize || i === 0) {
      if (!success) break;
      try {
        await zk.multi(ops);
      } catch {
        success = false;
      }
      ops = [];
    }
  }
  return success;
}
