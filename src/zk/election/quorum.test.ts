import { describe, expect, it } from 'vitest';
import { MajorityQuorumVerifier } from './quorum';

describe('MajorityQuorumVerifier', () => {
  const cases = [
    { voters: [1, 2, 3], tolerate: 1, quorum: 2 },
    { voters: [1, 2, 3, 4, 5], tolerate: 2, quorum: 3 },
    { voters: [1, 2], tolerate: 0, quorum: 2 },
    { voters: [1], tolerate: 0, quorum: 1 },
    { voters: [1, 2, 3, 4], tolerate: 1, quorum: 3 },
  ];
  for (const c of cases) {
    it(`${c.voters.length} voters tolerate ${c.tolerate} failures`, () => {
      const qv = new MajorityQuorumVerifier({ voters: c.voters });
      expect(qv.faultTolerance).toBe(c.tolerate);
      expect(qv.quorumSize).toBe(c.quorum);
      const survivors = c.voters.slice(c.tolerate);
      expect(qv.containsQuorum(survivors)).toBe(true);
      expect(qv.containsQuorum(c.voters.slice(c.tolerate + 1))).toBe(false);
    });
  }

  it('observers never count toward a quorum and weigh 0', () => {
    const qv = new MajorityQuorumVerifier({ voters: [1, 2, 3], observers: [4, 5, 6] });
    expect(qv.containsQuorum([1, 4, 5, 6])).toBe(false);
    expect(qv.containsQuorum([1, 2, 4])).toBe(true);
    expect(qv.weight(1)).toBe(1);
    expect(qv.weight(4)).toBe(0);
    expect(qv.weight(77)).toBe(0);
    expect(qv.isVoter(4)).toBe(false);
    expect([...qv.observers]).toEqual([4, 5, 6]);
    expect([...qv.voters]).toEqual([1, 2, 3]);
  });

  it('counts each voter once and ignores unknown ids', () => {
    const qv = new MajorityQuorumVerifier({ voters: [1, 2, 3, 4, 5] });
    expect(qv.containsQuorum([1, 1, 1, 2, 2])).toBe(false);
    expect(qv.containsQuorum([1, 2, 99, 100])).toBe(false);
    expect(qv.containsQuorum(new Set([3, 4, 5]))).toBe(true);
    expect(qv.containsQuorum([])).toBe(false);
  });

  it('rejects bad configurations with clear errors', () => {
    expect(() => new MajorityQuorumVerifier({ voters: [] })).toThrow(/at least one voter/);
    expect(() => new MajorityQuorumVerifier({ voters: [1, 2], observers: [2] })).toThrow(/both voter and observer/);
    expect(() => new MajorityQuorumVerifier({ voters: [1, 1] })).toThrow(/listed twice/);
    expect(() => new MajorityQuorumVerifier({ voters: [1.5] })).toThrow(/non-negative integer/);
  });
});
