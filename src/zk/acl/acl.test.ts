import { describe, expect, it } from 'vitest';
import { Code } from '../errors';
import { base64Encode } from './base64';
import { checkAcl } from './check-acl';
import { digestAuthIds, digestIdFor, isValidDigestId } from './digest';
import { fixupAcl } from './fixup-acl';
import { ipMatches, isValidIpAcl } from './ip-address';

const world = (perms: number) => ({ perms, id: { scheme: 'world', id: 'anyone' } });
const ip = (perms: number, id: string) => ({ perms, id: { scheme: 'ip', id } });
const digest = (perms: number, id: string) => ({ perms, id: { scheme: 'digest', id } });

describe('digest ids', () => {
  it('match the values in Apache AuthTest and a real 3.8.0 server', () => {
    expect(digestIdFor('super:test')).toBe('super:D/InIHSb7yEEbrWz8b9l71RjZJU=');
    expect(digestIdFor('super:zookeeper')).toBe('super:yyuhPKumRtNj4r8GnSbbwuq1vhE=');
    expect(digestIdFor('user:password')).toBe('user:tpUq/4Pn5A64fVZyQ0gOJ8ZWqkY=');
    expect(digestIdFor('a:b:c')).toMatch(/^a:/);
  });
  it('base64 pads like Java', () => {
    expect(base64Encode(new Uint8Array([]))).toBe('');
    expect(base64Encode(new TextEncoder().encode('f'))).toBe('Zg==');
    expect(base64Encode(new TextEncoder().encode('fo'))).toBe('Zm8=');
    expect(base64Encode(new TextEncoder().encode('foo'))).toBe('Zm9v');
  });
  it('adds super when the digest equals superDigest', () => {
    expect(digestAuthIds('super:test', 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=')).toEqual([
      { scheme: 'super', id: '' },
      { scheme: 'digest', id: 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=' },
    ]);
    expect(digestAuthIds('super:nope', 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=')).toHaveLength(1);
  });
  it('validates digest ids with Java split semantics', () => {
    expect(isValidDigestId('u:x')).toBe(true);
    expect(isValidDigestId(':x')).toBe(true);
    expect(isValidDigestId('u:')).toBe(false);
    expect(isValidDigestId('u::')).toBe(false);
    expect(isValidDigestId('u:x:y')).toBe(false);
    expect(isValidDigestId('nocolon')).toBe(false);
  });
});

describe('ip scheme', () => {
  it('matches addresses and CIDR blocks', () => {
    expect(ipMatches('127.0.0.1', '127.0.0.1')).toBe(true);
    expect(ipMatches('127.0.0.1', '127.0.0.1/8')).toBe(true);
    expect(ipMatches('127.9.9.9', '127.0.0.1/8')).toBe(true);
    expect(ipMatches('127.0.0.1', '10.0.0.0/8')).toBe(false);
    expect(ipMatches('10.1.2.3', '10.1.2.0/25')).toBe(true);
    expect(ipMatches('10.1.2.200', '10.1.2.0/25')).toBe(false);
    expect(ipMatches('1.2.3.4', '0.0.0.0/0')).toBe(true);
    expect(ipMatches('::1', '::1')).toBe(true);
    expect(ipMatches('0:0:0:0:0:0:0:1', '::1/128')).toBe(true);
    expect(ipMatches('fe80::1:2', 'fe80::/64')).toBe(true);
    expect(ipMatches('fe81::1', 'fe80::/16')).toBe(false);
    expect(ipMatches('127.0.0.1', '::1/0')).toBe(false); // families differ
  });
  it('validates expressions like IPAuthenticationProvider.isValid', () => {
    for (const good of ['1.2.3.4', '1.2.3.4/32', '::1', '::1/128', '1:2:3:4:5:6:7:8', '1::']) expect(isValidIpAcl(good)).toBe(true);
    for (const bad of ['1.2.3', '1.2.3.256', '1.2.3.4/33', '::1/256', '1:2:3:4:5:6:7:8:9', '1::2::3', 'host', '1.2.3.4/x', '12345::'])
      expect(isValidIpAcl(bad)).toBe(false);
  });
});

describe('checkAcl', () => {
  it('world, empty list, super, digest, ip and perm bits', () => {
    expect(checkAcl([], 31, [])).toBe(true);
    expect(checkAcl([world(1)], 1, [])).toBe(true);
    expect(checkAcl([world(1)], 2, [])).toBe(false);
    expect(checkAcl([world(1)], 2, [{ scheme: 'super', id: '' }])).toBe(true);
    expect(checkAcl([digest(31, 'u:h')], 4, [{ scheme: 'digest', id: 'u:h' }])).toBe(true);
    expect(checkAcl([digest(31, 'u:h')], 4, [{ scheme: 'digest', id: 'u:other' }])).toBe(false);
    expect(checkAcl([ip(8, '127.0.0.0/8')], 8, [{ scheme: 'ip', id: '127.0.0.1' }])).toBe(true);
    expect(checkAcl([ip(8, '127.0.0.0/8')], 4, [{ scheme: 'ip', id: '127.0.0.1' }])).toBe(false);
    expect(checkAcl([{ perms: 31, id: { scheme: 'x509', id: 'CN=a' } }], 1, [{ scheme: 'x509', id: 'CN=a' }])).toBe(false);
  });
});

describe('fixupAcl', () => {
  const session = [{ scheme: 'ip', id: '127.0.0.1' }, { scheme: 'digest', id: 'u:h' }, { scheme: 'super', id: '' }];
  it('expands auth to the digest ids only and drops duplicates', () => {
    expect(fixupAcl([{ perms: 31, id: { scheme: 'auth', id: '' } }, world(1), world(1)], session)).toEqual([
      digest(31, 'u:h'),
      world(1),
    ]);
  });
  it('rejects what Apache rejects', () => {
    expect(fixupAcl([], session)).toBe(Code.InvalidACL);
    expect(fixupAcl(null, session)).toBe(Code.InvalidACL);
    expect(fixupAcl([{ perms: 31, id: { scheme: 'auth', id: '' } }], [{ scheme: 'ip', id: '1.2.3.4' }])).toBe(Code.InvalidACL);
    expect(fixupAcl([{ perms: 31, id: { scheme: 'world', id: 'someone' } }], session)).toBe(Code.InvalidACL);
    expect(fixupAcl([digest(31, 'bad')], session)).toBe(Code.InvalidACL);
    expect(fixupAcl([ip(31, '300.1.1.1')], session)).toBe(Code.InvalidACL);
    expect(fixupAcl([{ perms: 31, id: { scheme: 'super', id: '' } }], session)).toBe(Code.InvalidACL);
  });
  it('keeps valid ip and digest entries (perms unchecked, as Apache)', () => {
    expect(fixupAcl([ip(0, '10.0.0.0/8'), digest(99, 'a:b')], [])).toEqual([ip(0, '10.0.0.0/8'), digest(99, 'a:b')]);
  });
});
