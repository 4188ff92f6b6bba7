import { describe, expect, it } from 'vitest';
import { parseTabParams, peerServerOverride, tabUrl } from './url-params';

describe('parseTabParams', () => {
  it('defaults to one server of an ensemble of tabs: cluster demo of size 3, tickTime 2000', () => {
    expect(parseTabParams('')).toEqual({ identity: { cluster: 'demo', myid: 1 }, size: 3, mode: 'tabs', tickTimeMs: 2000, warnings: [] });
    expect(parseTabParams('?mode=standalone').mode).toBe('standalone');
  });

  it('reads cluster, size, mode and tickTime', () => {
    expect(parseTabParams('?cluster=prod-eu_1&size=5&mode=simulate&tickTime=200')).toMatchObject({
      identity: { cluster: 'prod-eu_1' },
      size: 5,
      mode: 'simulate',
      tickTimeMs: 200,
      warnings: [],
    });
  });

  it('rejects odd values with a warning instead of using them', () => {
    const params = parseTabParams('?cluster=../../x&size=0&tickTime=1.5&mode=many');
    expect(params.identity.cluster).toBe('demo');
    expect(params.size).toBe(3);
    expect(params.tickTimeMs).toBe(2000);
    expect(params.mode).toBe('tabs');
    expect(params.warnings).toHaveLength(4);
  });

  it('builds the URL of the other mode, keeping cluster, size and tickTime', () => {
    const params = parseTabParams('?cluster=c1&size=5&tickTime=300');
    expect(tabUrl(params, 'simulate')).toBe('?cluster=c1&size=5&mode=simulate&tickTime=300');
    expect(parseTabParams(tabUrl(params, 'simulate'))).toMatchObject({ mode: 'simulate', size: 5, tickTimeMs: 300 });
    expect(tabUrl(parseTabParams('?cluster=c1&mode=simulate'), 'standalone')).toBe('?cluster=c1&size=3&mode=standalone');
    expect(parseTabParams(tabUrl(parseTabParams('?cluster=c1'), 'standalone')).mode).toBe('standalone');
  });
});

describe('multi-tab mode', () => {
  it('reads mode=tabs and builds its URL', () => {
    const params = parseTabParams('?cluster=c1&size=3&mode=tabs&tickTime=200');
    expect(params.mode).toBe('tabs');
    expect(params.warnings).toEqual([]);
    expect(tabUrl(params, 'tabs')).toBe('?cluster=c1&size=3&mode=tabs&tickTime=200');
  });
});

describe('PeerServer override', () => {
  it('reads ?peerServer=host:port and ?peerPort=N', () => {
    expect(peerServerOverride('?mode=tabs')).toBeNull();
    expect(peerServerOverride('?peerServer=127.0.0.1:9199')).toEqual({ host: '127.0.0.1', port: 9199 });
    expect(peerServerOverride('?peerServer=[::1]:9000')).toEqual({ host: '[::1]', port: 9000 });
    expect(peerServerOverride('?peerPort=4000')).toEqual({ port: 4000 });
  });

  it('refuses malformed values in plain words', () => {
    expect(() => peerServerOverride('?peerPort=0')).toThrow(/not a port number/);
    expect(() => peerServerOverride('?peerServer=host:99999')).toThrow(/not a port number/);
    expect(() => peerServerOverride('?peerServer=nohost')).toThrow(/not a port number/);
    expect(() => peerServerOverride('?peerServer=a/b:80')).toThrow(/not a host name/);
  });
});
