import { describe, it, expect } from 'vitest';
import { IllegalArgumentException, pathProblem, validatePath } from './path-utils';

describe('validatePath (PathUtils)', () => {
  it('accepts normal paths and the root', () => {
    for (const p of ['/', '/a', '/a/b', '/a.b', '/.a', '/a..', '/zookeeper/config', '/é']) expect(pathProblem(p)).toBeNull();
  });

  it('rejects with the Java messages', () => {
    expect(pathProblem('')).toBe('Path length must be > 0');
    expect(pathProblem('a')).toBe('Path must start with / character');
    expect(pathProblem('/a/')).toBe('Path must not end with / character');
    expect(pathProblem('/a//b')).toBe('Invalid path string "/a//b" caused by empty node name specified @3');
    expect(pathProblem('/a/./b')).toBe('Invalid path string "/a/./b" caused by relative paths not allowed @3');
    expect(pathProblem('/a/..')).toBe('Invalid path string "/a/.." caused by relative paths not allowed @4');
    expect(pathProblem('/.')).toBe('Invalid path string "/." caused by relative paths not allowed @1');
    expect(pathProblem('/a\u0000')).toBe('Invalid path string "/a\u0000" caused by null character not allowed @2');
    expect(pathProblem('/a\u0001')).toContain('invalid character @2');
    expect(pathProblem('/\ud83d\ude00')).toContain('invalid character @1');
  });

  it('validates sequential paths with a suffix, so "/a/" is fine for sequential nodes', () => {
    expect(() => validatePath('/a/', true)).not.toThrow();
    expect(() => validatePath('/a/')).toThrow(IllegalArgumentException);
  });
});
