import { describe, expect, it } from 'vitest';
import type { Watcher, ZooKeeperApi } from '../client/api';
import { Code, KeeperException } from '../zk/errors';
import { EventType, KeeperState } from '../zk/types';
import { createAppStore } from './store';
import { TreeMirror } from './tree-mirror';
import { parseTabParams } from './url-params';

/** Just enough of a client: a tree of child lists, getChildren2 with child watches. */
function fakeZk(tree: Map<string, string[]>) {
  const watches = new Map<string, Watcher>();
  const zk = {
    getChildren2: async (path: string, watch?: unknown) => {
      const children = tree.get(path);
      if (children === undefined) throw new KeeperException(Code.NoNode, path);
      if (typeof watch === 'function') watches.set(path, watch as Watcher);
      return { children: [...children], stat: null as never };
    },
  } as unknown as ZooKeeperApi;
  const fire = (path: string, type: EventType) => watches.get(path)?.({ type, state: KeeperState.SyncConnected, path, zxid: -1n });
  return { zk, fire };
}

/** A manual scheduler: flushes run only when the test says so. */
function manualScheduler() {
  const queued: Array<() => void> = [];
  return {
    schedule: (flush: () => void) => {
      queued.push(flush);
      return () => queued.splice(queued.indexOf(flush), 1);
    },
    runAll: () => {
      for (const flush of queued.splice(0)) flush();
    },
  };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

function wideTree(children: number): Map<string, string[]> {
  const names = Array.from({ length: children }, (_, i) => `n${String(i).padStart(5, '0')}`);
  const tree = new Map<string, string[]>([['/', ['big']], ['/big', names]]);
  for (const name of names) tree.set(`/big/${name}`, []);
  return tree;
}

describe('TreeMirror', () => {
  it('mirrors 10,000 znodes in a few store updates, not one per node', async () => {
    const store = createAppStore(parseTabParams(''));
    const { zk } = fakeZk(wideTree(10_000));
    const scheduler = manualScheduler();
    let updates = 0;
    store.subscribe(() => updates++);
    const mirror = new TreeMirror(store, zk, scheduler.schedule);
    mirror.start();
    await settle();
    scheduler.runAll();
    expect(Object.keys(store.getState().nodes)).toHaveLength(10_002);
    expect(store.getState().treeTruncated).toBe(false);
    expect(updates).toBeLessThanOrEqual(3);
  });

  it('stops at its bound and says the tree is truncated', async () => {
    const store = createAppStore(parseTabParams(''));
    const { zk } = fakeZk(wideTree(100));
    const scheduler = manualScheduler();
    new TreeMirror(store, zk, scheduler.schedule, 50).start();
    await settle();
    scheduler.runAll();
    expect(store.getState().treeTruncated).toBe(true);
    expect(Object.keys(store.getState().nodes).length).toBeLessThanOrEqual(50);
  });

  it('a deleted subtree leaves the store even when its reads were still waiting for a flush', async () => {
    const store = createAppStore(parseTabParams(''));
    const tree = new Map<string, string[]>([['/', ['a', 'b']], ['/a', ['x']], ['/a/x', []], ['/b', []]]);
    const { zk, fire } = fakeZk(tree);
    const scheduler = manualScheduler();
    const mirror = new TreeMirror(store, zk, scheduler.schedule);
    mirror.start();
    await settle();
    tree.set('/', ['b']);
    tree.delete('/a');
    tree.delete('/a/x');
    fire('/a', EventType.NodeDeleted);
    await settle();
    scheduler.runAll();
    expect(Object.keys(store.getState().nodes).sort()).toEqual(['/', '/b']);
  });
});
