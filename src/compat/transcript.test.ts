import { describe, expect, it } from 'vitest';
import { SessionVal, TimeVal, Transcript, ZxidVal } from './transcript';
import { diffTranscripts, formatGolden, stripKeys } from './golden';
import { describeData, digestId, parsePerms, permsToString } from './format';

describe('Transcript normalization', () => {
  it('names zxids by order of first appearance, 0 stays 0', () => {
    const t = new Transcript();
    t.add({ a: new ZxidVal(0x105n), b: new ZxidVal(0x103n), c: new ZxidVal(0x105n), z: new ZxidVal(0n) });
    t.add({ d: new ZxidVal(0x103n) });
    expect(t.finish()).toEqual([{ a: 'zxid#1', b: 'zxid#2', c: 'zxid#1', z: 0 }, { d: 'zxid#2' }]);
  });

  it('ties times to their zxid and flags inconsistent or implausible times', () => {
    const t = new Transcript();
    const now = BigInt(Date.now());
    t.add({ ok: new TimeVal(now, 7n), same: new TimeVal(now, 7n), other: new TimeVal(now + 1n, 7n) });
    t.add({ old: new TimeVal(5n, 8n), zero: new TimeVal(0n, 0n) });
    const [first, second] = t.finish() as Array<Record<string, unknown>>;
    expect(first).toEqual({ ok: 'T@zxid#1', same: 'T@zxid#1', other: 'TIME_MISMATCH(zxid#1)' });
    expect(second).toEqual({ old: 'BAD_TIME(5)', zero: 0 });
  });

  it('labels known sessions and numbers unknown ones', () => {
    const t = new Transcript();
    t.registerSession(0x1000abcn, 'A');
    t.add({ a: new SessionVal(0x1000abcn), x: new SessionVal(0x99n), y: new SessionVal(0x99n), none: new SessionVal(0n) });
    expect(t.finish()).toEqual([{ a: 'A', x: 'session#1', y: 'session#1', none: 0 }]);
  });

  it('drops undefined fields and keeps bigints exact', () => {
    const t = new Transcript();
    t.add({ u: undefined, big: 2n ** 60n, small: 5n });
    expect(t.finish()).toEqual([{ big: (2n ** 60n).toString(), small: 5 }]);
  });
});

describe('diffTranscripts', () => {
  it('is empty for equal transcripts and shows -/+ lines otherwise', () => {
    const a = [{ op: 'create', ok: '/x' }, { op: 'getData', ok: 'v' }];
    expect(diffTranscripts(a, a)).toBe('');
    const d = diffTranscripts(a, [{ op: 'create', ok: '/x' }, { op: 'getData', err: 'NoNode' }]);
    expect(d).toContain('- {"op":"getData","ok":"v"}');
    expect(d).toContain('+ {"op":"getData","err":"NoNode"}');
  });

  it('can ignore keys', () => {
    const a = [{ op: 'exists', rz: 'zxid#1' }];
    const b = [{ op: 'exists', rz: 'zxid#2' }];
    expect(diffTranscripts(a, b)).not.toBe('');
    expect(diffTranscripts(a, b, new Set(['rz']))).toBe('');
    expect(stripKeys({ k: [{ rz: 1, v: 2 }] }, new Set(['rz']))).toEqual({ k: [{ v: 2 }] });
  });
});

describe('format helpers', () => {
  it('formats golden files one entry per line and parses back', () => {
    const text = formatGolden({ case: 'x', about: 'y', server: 's', transcript: [{ a: 1 }, { b: [2] }] });
    expect(text.split('\n').filter((l) => l.startsWith('    {'))).toHaveLength(2);
    expect(JSON.parse(text)).toEqual({ case: 'x', about: 'y', server: 's', transcript: [{ a: 1 }, { b: [2] }] });
  });

  it('perms round-trip in zkCli letter order', () => {
    expect(permsToString(31)).toBe('cdrwa');
    expect(permsToString(1)).toBe('r');
    expect(parsePerms('rwa')).toBe(1 | 2 | 16);
    expect(() => parsePerms('q')).toThrow();
  });

  it('digest ids match ZooKeeper DigestAuthenticationProvider', () => {
    // Known value: zkCli "addauth digest alice:secret" then getAcl shows this id.
    expect(digestId('alice', 'secret')).toBe('alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=');
  });

  it('describes data: null, short text, binary', () => {
    expect(describeData(null)).toBeNull();
    expect(describeData(new Uint8Array(0))).toBe('');
    expect(describeData(new TextEncoder().encode('héllo'))).toBe('héllo');
    expect(describeData(new Uint8Array([0, 1, 2]))).toEqual({ len: 3, sha1: '0c7a623fd2bb' });
  });
});
