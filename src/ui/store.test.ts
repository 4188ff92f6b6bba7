import { describe, expect, it } from 'vitest';
import { appendConsole, appendEvents, createAppStore, CONSOLE_LINES_MAX, EVENTS_MAX, removeMirrorSubtree, reportError, setMirrorNode, toggleCollapsed } from './store';
import { parseTabParams } from './url-params';

const store = () => createAppStore(parseTabParams(''));

describe('app store', () => {
  it('keeps only the newest events and console lines', () => {
    const s = store();
    for (let i = 0; i < EVENTS_MAX + 3; i++) appendEvents(s, [{ type: 'commit', zxid: BigInt(i), server: 1, atMs: i }]);
    expect(s.getState().events).toHaveLength(EVENTS_MAX);
    expect(s.getState().events[0]?.event.atMs).toBe(3);
    for (let i = 0; i < CONSOLE_LINES_MAX + 1; i++) appendConsole(s, 'out', String(i));
    expect(s.getState().consoleLines).toHaveLength(CONSOLE_LINES_MAX);
  });

  it('removes a whole subtree but not a sibling sharing its prefix', () => {
    const s = store();
    for (const path of ['/', '/a', '/a/b', '/ab']) setMirrorNode(s, { path, children: [], stat: null });
    removeMirrorSubtree(s, '/a');
    expect(Object.keys(s.getState().nodes).sort()).toEqual(['/', '/ab']);
  });

  it('reports an error once and toggles collapse', () => {
    const s = store();
    reportError(s, 'boom');
    reportError(s, 'boom');
    expect(s.getState().errors).toEqual(['boom']);
    toggleCollapsed(s, '/a');
    expect(s.getState().collapsed).toEqual({ '/a': true });
    toggleCollapsed(s, '/a');
    expect(s.getState().collapsed).toEqual({});
  });
});
