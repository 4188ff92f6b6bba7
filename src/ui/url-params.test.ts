import { describe, expect, it } from 'vitest';
import { parseTabParams } from './url-params';

describe('parseTabParams', () => {
  it('defaults to cluster demo of size 3, myid 1', () => {
    expect(parseTabParams('')).toEqual({ identity: { cluster: 'demo', myid: 1 }, size: 3, warnings: [] });
  });

  it('reads cluster and size', () => {
    expect(parseTabParams('?cluster=prod-eu_1&size=5')).toMatchObject({ identity: { cluster: 'prod-eu_1' }, size: 5, warnings: [] });
  });

  it('rejects odd values with a warning instead of using them', () => {
    const params = parseTabParams('?cluster=../../x&size=0');
    expect(params.identity.cluster).toBe('demo');
    expect(params.size).toBe(3);
    expect(params.warnings).toHaveLength(2);
  });
});
