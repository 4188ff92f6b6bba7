// Replays the scenario of testdata/Gold.java.txt (run against a real Apache ZooKeeper 3.8.0
// server in-process, output in testdata/apache-3.8.0-golden.txt) through prep/apply and compares
// every line: zxids, Stat fields, error codes, sequential names, multi results, children order,
// quota stats, node counts and data sizes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { digestAuthIds, digestIdFor } from '../acl/digest';
import { Code } from '../errors';
import { OpCode } from '../../jute/opcodes';
import type { ACL, Stat } from '../types';
import type { ApplyResult } from './apply-result';
import type { MultiOp, WriteRequest } from './requests';
import { bytes, CREATOR_ALL, errName, formatStat, Harness, OPEN, READ_ONLY } from './test-harness';

function parseGolden(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let last: string | null = null;
  for (const line of text.split('\n')) {
    const sep = line.indexOf(': ');
    if (sep > 0 && !line.startsWith(']')) {
      last = line.substring(0, sep);
      out.set(last, line.substring(sep + 2));
    } else if (last !== null && line !== '') {
      out.set(last, `${out.get(last)}\n${line}`);
    }
  }
  return out;
}

const javaAcl = (acl: readonly ACL[]): string => `[${acl.map((a) => `${a.perms},s{'${a.id.scheme},'${a.id.id}}\n`).join(', ')}]`;

function runScenario(): Map<string, string> {
  const h = new Harness();
  const out = new Map<string, string>();
  const p = (label: string, value: string | number): void => void out.set(label, String(value));
  const stat = (path: string): string => formatStat(h.tree.statOf(path), h.sessionId);
  const single = (r: ApplyResult, ok: (r: ApplyResult) => string): string => (r.err === Code.OK ? ok(r) : `ERR ${errName(r.err)}`);
  const created = (r: ApplyResult): string => single(r, (x) => x.path ?? '?');
  const withStat = (r: ApplyResult): string => single(r, (x) => formatStat(x.stat as Stat, h.sessionId));
  const done = (r: ApplyResult): string => single(r, () => 'ok');
  const write = (req: WriteRequest): ApplyResult => h.write(req);
  const multi = (ops: MultiOp[]): string => {
    const r = write({ op: OpCode.multi, ops });
    const parts = (r.multi ?? []).map((m) => {
      if (m.type === OpCode.error) return `[error ${m.err}]`;
      if (m.type === OpCode.create) return `[create ${m.path}]`;
      if (m.type === OpCode.setData) return `[setData ${m.stat?.version}]`;
      if (m.type === OpCode.check) return '[CheckResult]';
      return '[DeleteResult]';
    });
    const firstErr = (r.multi ?? []).find((m) => m.err !== Code.OK);
    return `${firstErr === undefined ? 'OK' : `ERR ${errName(firstErr.err)}`} ${parts.join('')}`;
  };
  const c = (path: string, data: string | null, flags = 0, acl: ACL[] = OPEN): MultiOp => ({
    op: OpCode.create, path, data: bytes(data ?? ''), acl, flags,
  });

  write({ op: OpCode.createSession, timeoutMs: 30000 });
  p('fresh nodeCount', h.tree.nodeCount());
  p('fresh approxSize', h.tree.approximateDataSize());
  p('fresh cachedSize', h.tree.cachedApproximateDataSize());
  for (const path of ['/', '/zookeeper', '/zookeeper/quota', '/zookeeper/config']) p(`fresh stat ${path}`, stat(path));
  p('fresh acl /zookeeper/config', javaAcl(h.tree.getAcl('/zookeeper/config')?.acl ?? []));
  p('fresh acl /', javaAcl(h.tree.getAcl('/')?.acl ?? []));
  p('fresh allChildren /', h.tree.getAllChildrenNumber('/'));
  p('fresh allChildren /zookeeper', h.tree.getAllChildrenNumber('/zookeeper'));
  p('fresh children /zookeeper', `[${h.tree.getChildren('/zookeeper')?.children.join(', ')}]`);
  p('create /a', created(h.create('/a')));
  p('stat /a', stat('/a'));
  p('stat / after /a', stat('/'));
  p('create /a again', created(h.create('/a')));
  p('create /a/b/c', created(h.create('/a/b/c')));
  p('stat /a after failures', stat('/a'));
  p('seq 1', created(h.create('/a/s-', 'x', 2)));
  p('seq 2', created(h.create('/a/s-', 'x', 2)));
  p('plain /a/p', created(h.create('/a/p')));
  p('seq 3', created(h.create('/a/s-', 'x', 2)));
  p('delete seq 2', done(write({ op: OpCode.delete, path: '/a/s-0000000001', version: -1 })));
  p('seq 4', created(h.create('/a/s-', 'x', 3)));
  p('stat /a after seq', stat('/a'));
  p('create /a/e eph', created(h.create('/a/e', 'x', 1)));
  p('stat /a/e', stat('/a/e'));
  p('create /a/e/x', created(h.create('/a/e/x')));
  p('getEphemerals', `[${h.tree.getEphemerals(h.sessionId).sort().join(', ')}]`);
  p('setData /a v0', withStat(write({ op: OpCode.setData, path: '/a', data: bytes('yy'), version: 0 })));
  p('setData /a v5', withStat(write({ op: OpCode.setData, path: '/a', data: bytes('zz'), version: 5 })));
  p('setData /nope', withStat(write({ op: OpCode.setData, path: '/nope', data: bytes('zz'), version: -1 })));
  p('delete /a', done(write({ op: OpCode.delete, path: '/a', version: -1 })));
  p('delete /a/p v3', done(write({ op: OpCode.delete, path: '/a/p', version: 3 })));
  p('delete /zookeeper', done(write({ op: OpCode.delete, path: '/zookeeper', version: -1 })));
  p('delete /zookeeper/quota', done(write({ op: OpCode.delete, path: '/zookeeper/quota', version: -1 })));
  p('setACL /a v0', withStat(write({ op: OpCode.setACL, path: '/a', acl: OPEN, version: 0 })));
  p('setACL /a v0 again', withStat(write({ op: OpCode.setACL, path: '/a', acl: OPEN, version: 0 })));
  p('setACL /a bad digest', withStat(write({ op: OpCode.setACL, path: '/a', acl: [{ perms: 31, id: { scheme: 'digest', id: 'nocolon' } }], version: -1 })));
  p('create auth acl no auth', created(h.create('/auth', 'x', 0, CREATOR_ALL)));
  p('create world bad id', created(h.create('/w', 'x', 0, [{ perms: 31, id: { scheme: 'world', id: 'someone' } }])));
  p('create ip acl', created(h.create('/ip', 'x', 0, [{ perms: 31, id: { scheme: 'ip', id: '127.0.0.1/8' } }])));
  p('create under ip', created(h.create('/ip/c')));
  p('create ip10 acl', created(h.create('/ip10', 'x', 0, [{ perms: 31, id: { scheme: 'ip', id: '10.0.0.0/8' } }])));
  p('create under ip10', created(h.create('/ip10/c')));
  p('create read-only', created(h.create('/ro', 'x', 0, READ_ONLY)));
  p('setData read-only', withStat(write({ op: OpCode.setData, path: '/ro', data: bytes('x'), version: -1 })));
  p('delete read-only', done(write({ op: OpCode.delete, path: '/ro', version: -1 })));
  p('create under read-only', created(h.create('/ro/c')));
  p('create ttl disabled', created(write({ op: OpCode.createTTL, path: '/ttl', data: bytes('x'), acl: OPEN, flags: 5, ttl: 1000n })));
  p('create container', created(write({ op: OpCode.createContainer, path: '/c', data: bytes('x'), acl: OPEN, flags: 4 })));
  p('stat container', stat('/c'));
  p('multi fail', multi([c('/m', 'x'), c('/m/1', 'x'), { op: OpCode.setData, path: '/nope', data: bytes('x'), version: -1 }, { op: OpCode.delete, path: '/a', version: -1 }]));
  p('stat /m after fail', stat('/m'));
  p('multi ok', multi([c('/m', 'x'), c('/m/s', 'x', 2), { op: OpCode.setData, path: '/m', data: bytes('x'), version: -1 }, { op: OpCode.check, path: '/m', version: 1 }, { op: OpCode.delete, path: '/m/s0000000000', version: -1 }]));
  p('stat /m after ok', stat('/m'));
  p('multi check fail', multi([{ op: OpCode.check, path: '/m', version: 7 }, c('/m/z', 'x')]));
  p('multi seq rollback', multi([c('/m/q-', 'x', 2), c('/m/q-', 'x', 2), c('/m', 'x')]));
  p('seq after rollback', created(h.create('/m/q-', 'x', 2)));
  for (let i = 0; i < 12; i++) h.create('/many', '', 2);
  for (const n of ['zeta', 'alpha', 'beta', 'gamma', 'delta']) h.create(`/a/${n}`, '');
  p('create many', 'ok');
  p('children /a', `[${h.tree.getChildren('/a')?.children.join(', ')}]`);
  p('children /', `[${h.tree.getChildren('/')?.children.join(', ')}]`);
  p('create /q', created(h.create('/q', '1234')));
  // SetQuotaCommand.createQuota's writes (its exists/getChildren calls are reads).
  h.create('/zookeeper/quota/q', '');
  h.create('/zookeeper/quota/q/zookeeper_limits', 'count=-1,bytes=10=;countHardLimit=3');
  h.create('/zookeeper/quota/q/zookeeper_stats', 'count=0,bytes=0');
  p('setquota /q', 'ok');
  const text = (path: string): string => new TextDecoder().decode(h.tree.getData(path)?.data ?? undefined);
  p('limits /q', text('/zookeeper/quota/q/zookeeper_limits'));
  p('stats /q', text('/zookeeper/quota/q/zookeeper_stats'));
  p('q create 1', created(h.create('/q/1', '12345')));
  p('q create 2', created(h.create('/q/2', '1')));
  p('q create 3', created(h.create('/q/3', '1')));
  p('stats /q after', text('/zookeeper/quota/q/zookeeper_stats'));
  p('stat quota stats node', stat('/zookeeper/quota/q/zookeeper_stats'));
  p('q setData big', withStat(write({ op: OpCode.setData, path: '/q/1', data: bytes('123456789012'), version: -1 })));
  p('stats /q after set', text('/zookeeper/quota/q/zookeeper_stats'));
  p('digest super:test', digestIdFor('super:test'));
  p('digest user:password', digestIdFor('user:password'));
  h.authIds.push(...digestAuthIds('user:password', null));
  p('create auth acl with digest', created(h.create('/auth', 'x', 0, CREATOR_ALL)));
  p('acl /auth', javaAcl(h.tree.getAcl('/auth')?.acl ?? []));
  p('end nodeCount', h.tree.nodeCount());
  p('end approxSize', h.tree.approximateDataSize());
  p('end cachedSize', h.tree.cachedApproximateDataSize());
  p('end ephemeralsCount', h.tree.ephemeralsCount());
  p('lastZxid', h.zxid.toString(16));
  write({ op: OpCode.closeSession });
  p('after close nodeCount', h.tree.nodeCount());
  p('lastZxid after close', h.zxid.toString(16));
  return out;
}

describe('golden scenario recorded from Apache ZooKeeper 3.8.0', () => {
  const golden = parseGolden(readFileSync(new URL('./testdata/apache-3.8.0-golden.txt', import.meta.url), 'utf8'));
  const ours = runScenario();
  it('covers the recorded lines', () => {
    expect(golden.size).toBeGreaterThan(80);
  });
  for (const [label, expected] of golden) {
    if (label === 'bad path') continue; // client-side validation in Java
    it(label, () => {
      expect(ours.get(label)).toBe(expected);
    });
  }
});
