import { describe, expect, it } from 'vitest';
import { validatePath } from './path-validation';

describe('validatePath (PathUtils rules and messages)', () => {
  it('accepts normal paths and the root', () => {
    for (const p of ['/', '/a', '/a/b', '/a.b', '/..a', '/a..', '/...', '/ü', '/a b', '/\u00a0']) expect(validatePath(p)).toBeNull();
  });
  it.each([
    [null, 'Path cannot be null'],
    ['', 'Path length must be > 0'],
    ['a', 'Path must start with / character'],
    ['/a/', 'Path must not end with / character'],
    ['/a//b', 'Invalid path string "/a//b" caused by empty node name specified @3'],
    ['/a/./b', 'Invalid path string "/a/./b" caused by relative paths not allowed @3'],
    ['/a/..', 'Invalid path string "/a/.." caused by relative paths not allowed @4'],
    ['/.', 'Invalid path string "/." caused by relative paths not allowed @1'],
    ['/a\u0000b', 'Invalid path string "/a\u0000b" caused by null character not allowed @2'],
    ['/a\u0001', 'Invalid path string "/a\u0001" caused by invalid character @2'],
    ['/\u007f', 'Invalid path string "/\u007f" caused by invalid character @1'],
    ['/\u009f', 'Invalid path string "/\u009f" caused by invalid character @1'],
    ['/\ud83d\ude00', 'Invalid path string "/\ud83d\ude00" caused by invalid character @1'],
    ['/\uf8ff', 'Invalid path string "/\uf8ff" caused by invalid character @1'],
    ['/\ufff0', 'Invalid path string "/\ufff0" caused by invalid character @1'],
  ])('%j -> %s', (path, message) => {
    expect(validatePath(path as string | null)).toBe(message);
  });
  it('lets a sequential prefix end with /', () => {
    expect(validatePath('/a/', true)).toBeNull();
    expect(validatePath('/', true)).toBeNull();
    expect(validatePath('/a//', true)).toBe('Invalid path string "/a//1" caused by empty node name specified @3');
  });
});
