import { describe, it, expect } from 'vitest';
import { parseConnectString } from './connect-string';
import { IllegalArgumentException } from './path-utils';

describe('parseConnectString (ConnectStringParser)', () => {
  it('parses hosts, default ports and a chroot', () => {
    expect(parseConnectString('h1:2181,h2:2182/app/x')).toEqual({ addresses: ['h1:2181', 'h2:2182'], chroot: '/app/x' });
    expect(parseConnectString('h1,h2:')).toEqual({ addresses: ['h1:2181', 'h2:2181'], chroot: null });
    expect(parseConnectString('[::1]:3000,[fe80::1]')).toEqual({ addresses: ['[::1]:3000', '[fe80::1]:2181'], chroot: null });
  });

  it('treats "/" alone as no chroot', () => {
    expect(parseConnectString('h:1/').chroot).toBeNull();
  });

  it('rejects an invalid chroot, empty strings and bad ports', () => {
    expect(() => parseConnectString('h:1/app/')).toThrow('Path must not end with / character');
    expect(() => parseConnectString('h:1/a//b')).toThrow(IllegalArgumentException);
    expect(() => parseConnectString('  ')).toThrow('Connect string cannot be null or empty');
    expect(() => parseConnectString('h:port')).toThrow(IllegalArgumentException);
  });
});
