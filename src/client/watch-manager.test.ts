import { describe, it, expect } from 'vitest';
import { WatchManager, selfAndAncestors } from './watch-manager';
import { setWatchesRequests } from './set-watches';
import { EventType, WatcherType } from '../zk/types';
import { Code, KeeperException } from '../zk/errors';
import { OpCode } from '../jute/opcodes';
import type { Watcher } from './api';

const w = (): Watcher => () => {};

describe('WatchManager (ZKWatchManager)', () => {
  it('one-shot data/exist/child watches fire once on their events', () => {
    const m = new WatchManager(null);
    const data = w();
    const exist = w();
    const child = w();
    m.add('data', '/a', data);
    m.add('exist', '/b', exist);
    m.add('child', '/a', child);
    expect([...m.materialize(EventType.NodeDataChanged, '/a')]).toEqual([data]);
    expect([...m.materialize(EventType.NodeDataChanged, '/a')]).toEqual([]);
    expect([...m.materialize(EventType.NodeCreated, '/b')]).toEqual([exist]);
    expect([...m.materialize(EventType.NodeDeleted, '/a')]).toEqual([child]);
    expect(m.isEmpty()).toBe(true);
  });

  it('delete fires data and child watchers; each watcher is called once per event', () => {
    const m = new WatchManager(null);
    const both = w();
    m.add('data', '/a', both);
    m.add('child', '/a', both);
    expect([...m.materialize(EventType.NodeDeleted, '/a')]).toEqual([both]);
  });

  it('persistent watches stay; recursive ones cover descendants but not child events', () => {
    const m = new WatchManager(null);
    const p = w();
    const r = w();
    m.add('persistent', '/a', p);
    m.add('persistentRecursive', '/a', r);
    expect([...m.materialize(EventType.NodeDataChanged, '/a')]).toEqual([p, r]);
    expect([...m.materialize(EventType.NodeDataChanged, '/a')]).toEqual([p, r]);
    expect([...m.materialize(EventType.NodeCreated, '/a/b/c')]).toEqual([r]);
    expect([...m.materialize(EventType.NodeChildrenChanged, '/a')]).toEqual([p]);
    expect([...m.materialize(EventType.NodeChildrenChanged, '/a/b')]).toEqual([]);
  });

  it('session events reach the default watcher and every watcher without removing any', () => {
    const d = w();
    const m = new WatchManager(d);
    const a = w();
    m.add('data', '/a', a);
    expect([...m.materialize(EventType.None, null)]).toEqual([d, a]);
    expect(m.paths('data')).toEqual(['/a']);
  });

  it('remove: NoWatcher when absent; local removal despite a server error; server error otherwise', () => {
    const m = new WatchManager(null);
    const a = w();
    expect(() => m.remove('/a', a, WatcherType.Data, false, Code.OK, '/a')).toThrow(KeeperException);
    m.add('exist', '/a', a);
    expect(() => m.remove('/a', a, WatcherType.Children, false, Code.OK, '/a')).toThrow('No such watcher');
    expect(() => m.remove('/a', a, WatcherType.Data, false, Code.ConnectionLoss, '/a')).toThrow('ConnectionLoss');
    const removed = m.remove('/a', a, WatcherType.Data, true, Code.ConnectionLoss, '/a');
    expect([...removed[EventType.DataWatchRemoved]]).toEqual([a]);
    expect(m.isEmpty()).toBe(true);
  });

  it('lists ancestors', () => {
    expect(selfAndAncestors('/a/b')).toEqual(['/a/b', '/a', '/']);
    expect(selfAndAncestors('/')).toEqual(['/']);
  });
});

describe('setWatchesRequests', () => {
  it('uses SetWatches without persistent watches and SetWatches2 with them', () => {
    const m = new WatchManager(null);
    m.add('data', '/d', w());
    m.add('exist', '/e', w());
    m.add('child', '/c', w());
    expect(setWatchesRequests(m, 5n)).toEqual([
      { op: OpCode.setWatches, relativeZxid: 5n, dataWatches: ['/d'], existWatches: ['/e'], childWatches: ['/c'] },
    ]);
    m.add('persistentRecursive', '/r', w());
    const [req] = setWatchesRequests(m, 5n);
    expect(req).toMatchObject({ op: OpCode.setWatches2, persistentWatches: [], persistentRecursiveWatches: ['/r'] });
  });

  it('splits into batches by total path length', () => {
    const m = new WatchManager(null);
    for (let i = 0; i < 10; i++) m.add('data', `/node${i}`, w());
    const reqs = setWatchesRequests(m, 0n, 12);
    expect(reqs.length).toBe(5);
    expect(reqs.flatMap((r) => r.dataWatches)).toEqual(m.paths('data'));
    expect(setWatchesRequests(new WatchManager(null), 0n)).toEqual([]);
  });
});
