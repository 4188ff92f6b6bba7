import { describe, it, expect } from 'vitest';
import { AddWatchMode, EventType, WatcherType } from '../types';
import { NO_ZXID, WatchManager, parentPath } from './watch-manager';
import { pathAndAncestors } from './path-watch-table';
import { watchSummaryText, watchesByPathText, watchesBySessionText } from './watch-report';

const A = 0x100n;
const B = 0x200n;

function events(deliveries: ReturnType<WatchManager['nodeCreated']>): string[] {
  return deliveries.map((d) => `${d.sessionId.toString(16)} ${EventType[d.event.type]} ${d.event.path} ${d.kind}`);
}

describe('paths', () => {
  it('lists a path and its ancestors, root last', () => {
    expect(pathAndAncestors('/a/b/c')).toEqual(['/a/b/c', '/a/b', '/a', '/']);
    expect(pathAndAncestors('/')).toEqual(['/']);
    expect(parentPath('/a')).toBe('/');
    expect(parentPath('/a/b')).toBe('/a');
  });
});

describe('one-shot watches', () => {
  it('data watch fires once on setData, then is gone', () => {
    const w = new WatchManager();
    w.addDataWatch('/a', A);
    expect(events(w.nodeDataChanged('/a', 5n))).toEqual(['100 NodeDataChanged /a data']);
    expect(w.nodeDataChanged('/a', 6n)).toEqual([]);
    expect(w.count()).toBe(0);
  });

  it('create fires NodeCreated on the path and NodeChildrenChanged on the parent', () => {
    const w = new WatchManager();
    w.addDataWatch('/a/b', A); // exists on a missing node
    w.addChildWatch('/a', B);
    const d = w.nodeCreated('/a/b', 7n);
    expect(events(d)).toEqual(['100 NodeCreated /a/b data', '200 NodeChildrenChanged /a child']);
    expect(d[0]!.event.zxid).toBe(7n);
  });

  it('delete notifies a session holding data and child watches on the path once', () => {
    const w = new WatchManager();
    w.addDataWatch('/a', A);
    w.addChildWatch('/a', A);
    w.addChildWatch('/a', B);
    w.addChildWatch('/', B);
    expect(events(w.nodeDeleted('/a', 9n))).toEqual([
      '100 NodeDeleted /a data',
      '200 NodeDeleted /a child',
      '200 NodeChildrenChanged / child',
    ]);
    expect(w.count()).toBe(0);
  });

  it('setData does not fire child watches', () => {
    const w = new WatchManager();
    w.addChildWatch('/a', A);
    expect(w.nodeDataChanged('/a', 3n)).toEqual([]);
    expect(w.count()).toBe(1);
  });
});

describe('persistent watches', () => {
  it('PERSISTENT stays after firing and gets data and child events of its own path only', () => {
    const w = new WatchManager();
    w.addPersistentWatch('/a', A, AddWatchMode.PERSISTENT);
    expect(events(w.nodeDataChanged('/a', 1n))).toEqual(['100 NodeDataChanged /a persistent']);
    expect(events(w.nodeCreated('/a/x', 2n))).toEqual(['100 NodeChildrenChanged /a persistent']);
    expect(w.nodeDataChanged('/a/x', 3n)).toEqual([]);
    expect(events(w.nodeDeleted('/a', 4n))).toEqual(['100 NodeDeleted /a persistent']);
    expect(w.contains('/a', WatcherType.Persistent, A)).toBe(true);
  });

  it('PERSISTENT_RECURSIVE fires for descendants but never NodeChildrenChanged', () => {
    const w = new WatchManager();
    w.addPersistentWatch('/a', A, AddWatchMode.PERSISTENT_RECURSIVE);
    expect(events(w.nodeCreated('/a/b/c', 1n))).toEqual(['100 NodeCreated /a/b/c persistentRecursive']);
    expect(events(w.nodeDataChanged('/a', 2n))).toEqual(['100 NodeDataChanged /a persistentRecursive']);
    expect(events(w.nodeDeleted('/a/b/c', 3n))).toEqual(['100 NodeDeleted /a/b/c persistentRecursive']);
    expect(w.nodeCreated('/other', 4n)).toEqual([]);
    expect(w.nodeDataChanged('/a', 5n)).toHaveLength(1);
  });

  it('a one-shot and a persistent watch on one path deliver one event, the one-shot is consumed', () => {
    const w = new WatchManager();
    w.addDataWatch('/a', A);
    w.addPersistentWatch('/a', A, AddWatchMode.PERSISTENT);
    expect(w.nodeDataChanged('/a', 1n)).toHaveLength(1);
    expect(w.contains('/a', WatcherType.Data, A)).toBe(false);
    expect(w.contains('/a', WatcherType.Persistent, A)).toBe(true);
  });

  it('a recursive watch on root sees everything', () => {
    const w = new WatchManager();
    w.addPersistentWatch('/', B, AddWatchMode.PERSISTENT_RECURSIVE);
    expect(events(w.nodeCreated('/x', 1n))).toEqual(['200 NodeCreated /x persistentRecursive']);
  });
});

describe('checkWatches and removeWatches', () => {
  it('removes by type and reports nothing when there is no watcher', () => {
    const w = new WatchManager();
    w.addDataWatch('/a', A);
    w.addChildWatch('/a', A);
    expect(w.remove('/a', WatcherType.Children, B)).toEqual([]);
    expect(w.remove('/a', WatcherType.Persistent, A)).toEqual([]);
    expect(w.remove('/a', WatcherType.Children, A)).toEqual([{ sessionId: A, path: '/a', kind: 'child' }]);
    expect(w.contains('/a', WatcherType.Children, A)).toBe(false);
    expect(w.contains('/a', WatcherType.Any, A)).toBe(true);
    expect(w.remove('/a', WatcherType.Any, A).map((r) => r.kind)).toEqual(['data']);
    expect(w.contains('/a', WatcherType.Any, A)).toBe(false);
  });

  it('removing a persistent watch drops it from both tables', () => {
    const w = new WatchManager();
    w.addPersistentWatch('/a', A, AddWatchMode.PERSISTENT);
    expect(w.count()).toBe(2);
    expect(w.remove('/a', WatcherType.Persistent, A)).toEqual([{ sessionId: A, path: '/a', kind: 'persistent' }]);
    expect(w.count()).toBe(0);
  });

  it('removing a recursive watch stops ancestor matching', () => {
    const w = new WatchManager();
    w.addPersistentWatch('/a', A, AddWatchMode.PERSISTENT_RECURSIVE);
    expect(w.remove('/a', WatcherType.PersistentRecursive, A)).toHaveLength(1);
    expect(w.nodeCreated('/a/b', 1n)).toEqual([]);
  });

  it('removeSession drops everything of one session only', () => {
    const w = new WatchManager();
    w.addDataWatch('/a', A);
    w.addPersistentWatch('/b', A, AddWatchMode.PERSISTENT_RECURSIVE);
    w.addDataWatch('/a', B);
    expect(w.removeSession(A).map((r) => `${r.path}:${r.kind}`)).toEqual(['/a:data', '/b:persistentRecursive']);
    expect(events(w.nodeDataChanged('/a', 1n))).toEqual(['200 NodeDataChanged /a data']);
    expect(w.nodeCreated('/b/c', 2n)).toEqual([]);
  });
});

describe('setWatches', () => {
  const nodes = new Map([
    ['/changed', { mzxid: 10n, pzxid: 3n }],
    ['/same', { mzxid: 3n, pzxid: 3n }],
    ['/kids', { mzxid: 2n, pzxid: 11n }],
  ]);
  const lookup = (p: string) => nodes.get(p);

  it('fires what changed since relativeZxid and registers the rest', () => {
    const w = new WatchManager();
    const d = w.setWatches(
      5n,
      {
        dataWatches: ['/changed', '/same', '/gone'],
        existWatches: ['/same', '/missing'],
        childWatches: ['/kids', '/same', '/gone'],
        persistentWatches: ['/p'],
        persistentRecursiveWatches: ['/r'],
      },
      A,
      lookup,
    );
    expect(d.map((x) => `${EventType[x.event.type]} ${x.event.path}`)).toEqual([
      'NodeDataChanged /changed',
      'NodeDeleted /gone',
      'NodeCreated /same',
      'NodeChildrenChanged /kids',
      'NodeDeleted /gone',
    ]);
    expect(d.every((x) => x.event.zxid === NO_ZXID)).toBe(true);
    expect(w.contains('/same', WatcherType.Data, A)).toBe(true);
    expect(w.contains('/missing', WatcherType.Data, A)).toBe(true);
    expect(w.contains('/same', WatcherType.Children, A)).toBe(true);
    expect(w.contains('/p', WatcherType.Persistent, A)).toBe(true);
    expect(w.contains('/r', WatcherType.PersistentRecursive, A)).toBe(true);
  });
});

describe('reports', () => {
  it('formats wchs, wchc and wchp like Apache', () => {
    const w = new WatchManager();
    w.addDataWatch('/a', A);
    w.addDataWatch('/b', A);
    w.addDataWatch('/a', B);
    w.addChildWatch('/c', B); // child table is not reported
    expect(watchSummaryText(w)).toBe('2 connections watching 2 paths\nTotal watches:3\n');
    expect(watchesBySessionText(w)).toBe('0x100\n\t/a\n\t/b\n0x200\n\t/a\n\n');
    expect(watchesByPathText(w)).toBe('/a\n\t0x100\n\t0x200\n/b\n\t0x100\n\n');
    expect(w.count()).toBe(4);
  });
});
