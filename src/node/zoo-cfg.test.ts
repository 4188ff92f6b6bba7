import { describe, expect, it } from 'vitest';
import { parseServerLine, parseZooCfg, ZooCfgError } from './zoo-cfg';

describe('parseZooCfg', () => {
  it('reads the standard keys with Apache defaults', () => {
    const cfg = parseZooCfg('tickTime=2000\ndataDir=/tmp/zk\nclientPort=2181\n');
    expect(cfg.tickTimeMs).toBe(2000);
    expect(cfg.minSessionTimeoutMs).toBe(4000);
    expect(cfg.maxSessionTimeoutMs).toBe(40000);
    expect(cfg.dataLogDir).toBe('/tmp/zk');
    expect(cfg.maxClientCnxns).toBe(60);
    expect(cfg.fourLetterWords).toEqual(new Set(['srvr']));
    expect(cfg.autopurgeSnapRetainCount).toBe(3);
    expect(cfg.warnings).toEqual([]);
  });

  it('reads every supported key', () => {
    const cfg = parseZooCfg(
      [
        '# comment',
        'tickTime = 200',
        'initLimit=7',
        'syncLimit:3',
        'dataDir=/d',
        'dataLogDir=/l',
        'clientPort=2182',
        'clientPortAddress=127.0.0.1',
        'minSessionTimeout=500',
        'maxSessionTimeout=9000',
        'maxClientCnxns=0',
        'snapCount=1000',
        'autopurge.snapRetainCount=5',
        'autopurge.purgeInterval=1',
        '4lw.commands.whitelist=stat, ruok,conf',
        'DigestAuthenticationProvider.superDigest=super:D/InIHSb7yEEbrWz8b9l71RjZJU=',
        'extendedTypesEnabled=true',
      ].join('\n'),
    );
    expect(cfg).toMatchObject({
      tickTimeMs: 200,
      initLimit: 7,
      syncLimit: 3,
      dataDir: '/d',
      dataLogDir: '/l',
      clientPort: 2182,
      clientPortAddress: '127.0.0.1',
      minSessionTimeoutMs: 500,
      maxSessionTimeoutMs: 9000,
      maxClientCnxns: 0,
      snapCount: 1000,
      autopurgeSnapRetainCount: 5,
      autopurgePurgeIntervalHours: 1,
      superDigest: 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=',
      extendedTypesEnabled: true,
    });
    expect(cfg.fourLetterWords).toEqual(new Set(['stat', 'ruok', 'conf']));
  });

  it('reports unknown and no-effect keys instead of ignoring them silently', () => {
    const cfg = parseZooCfg('dataDir=/d\nfooBar=1\nadmin.enableServer=false\n');
    expect(cfg.warnings).toHaveLength(2);
    expect(cfg.warnings.join('\n')).toMatch(/fooBar=1: unknown key/);
    expect(cfg.warnings.join('\n')).toMatch(/admin.enableServer=false: accepted, has no effect/);
  });

  it('accepts * as the whole 4lw whitelist', () => {
    expect(parseZooCfg('dataDir=/d\n4lw.commands.whitelist=*').fourLetterWords).toBe('*');
  });

  it('rejects bad values with a clear error', () => {
    expect(() => parseZooCfg('clientPort=2181')).toThrow(/dataDir is not set/);
    expect(() => parseZooCfg('dataDir=/d\ntickTime=abc')).toThrow(ZooCfgError);
    expect(() => parseZooCfg('dataDir=/d\nclientPort=70000')).toThrow(/not a valid port/);
    expect(() => parseZooCfg('dataDir=/d\nminSessionTimeout=5000\nmaxSessionTimeout=4000')).toThrow(/must not be larger/);
    expect(() => parseZooCfg('dataDir=/d\nserver.1=a:1:2\nserver.1=a:3:4')).toThrow(ZooCfgError);
  });

  it('parses ensemble server lines', () => {
    const cfg = parseZooCfg('dataDir=/d\nserver.2=127.0.0.1:2889:3889;2182\nserver.1=127.0.0.1:2888:3888\nserver.3=127.0.0.1:2890:3890:observer;127.0.0.1:2183');
    expect(cfg.servers.map((s) => s.id)).toEqual([1, 2, 3]);
    expect(cfg.servers[1]).toEqual({ id: 2, host: '127.0.0.1', quorumPort: 2889, electionPort: 3889, role: 'participant', clientHost: null, clientPort: 2182 });
    expect(cfg.servers[2]).toMatchObject({ role: 'observer', clientHost: '127.0.0.1', clientPort: 2183 });
  });

  it('rejects malformed server lines', () => {
    expect(() => parseServerLine('server.1', 'host:1')).toThrow(ZooCfgError);
    expect(() => parseServerLine('server.1', 'host:1:2:leader')).toThrow(/participant or observer/);
    expect(() => parseServerLine('server.x', 'host:1:2')).toThrow(ZooCfgError);
  });
});
