import { describe, expect, it } from 'vitest';
import { stableList } from './stable-list';

describe('stableList', () => {
  it('keeps the previous array when the content is the same', () => {
    const previous = ['/a', '/b'];
    expect(stableList(previous, ['/a', '/b'])).toBe(previous);
    expect(stableList([], [])).toHaveLength(0);
  });

  it('takes the new array when an item, the order or the length differs', () => {
    const previous = ['/a', '/b'];
    for (const next of [['/a', '/c'], ['/b', '/a'], ['/a'], ['/a', '/b', '/c']]) expect(stableList(previous, next)).toBe(next);
  });
});
