import { describe, expect, it } from 'vitest';
import { applyCompletion, commonPrefix } from './completion-apply';

describe('applyCompletion', () => {
  it('completes a single command and adds a space', () => {
    expect(applyCompletion('cre', { from: 0, candidates: ['create'] })).toEqual({ buffer: 'create ', listed: null });
  });

  it('completes a single child name without a space', () => {
    expect(applyCompletion('ls /app/con', { from: 8, candidates: ['config'] })).toEqual({ buffer: 'ls /app/config', listed: null });
  });

  it('extends to the common prefix and lists several candidates', () => {
    expect(applyCompletion('get', { from: 0, candidates: ['get', 'getAcl', 'getAllChildrenNumber'] })).toEqual({
      buffer: 'get',
      listed: ['get', 'getAcl', 'getAllChildrenNumber'],
    });
    expect(applyCompletion('ls /l', { from: 4, candidates: ['lock-1', 'lock-2'] })).toEqual({ buffer: 'ls /lock-', listed: ['lock-1', 'lock-2'] });
  });

  it('leaves the line alone without candidates', () => {
    expect(applyCompletion('xyz', { from: 0, candidates: [] })).toEqual({ buffer: 'xyz', listed: null });
  });

  it('finds common prefixes', () => {
    expect(commonPrefix([])).toBe('');
    expect(commonPrefix(['abc', 'abd', 'ab'])).toBe('ab');
  });
});
