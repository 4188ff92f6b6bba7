import { describe, it, expect } from 'vitest';
import { Code } from '../errors';
import { SessionTable } from './session-table';

function table(): SessionTable {
  return new SessionTable({ tickTimeMs: 2000, serverId: 1, startMs: 1_000_000 });
}

describe('SessionTable.check (SessionTrackerImpl.checkSession with an owner)', () => {
  it('the first server to use a session without owner becomes its owner; others get SessionMoved', () => {
    const t = table();
    t.track(5n, 4000, 1_000_000);
    expect(t.get(5n)?.owner).toBeNull();
    expect(t.check(5n, 2)).toBe(Code.OK);
    expect(t.get(5n)?.owner).toBe(2);
    expect(t.check(5n, 2)).toBe(Code.OK);
    expect(t.check(5n, 3)).toBe(Code.SessionMoved);
    expect(t.get(5n)?.owner).toBe(2);
  });

  it('setOwner moves the session; unknown or closing sessions are expired and keep no owner', () => {
    const t = table();
    t.track(5n, 4000, 1_000_000);
    expect(t.setOwner(5n, 3)).toBe(true);
    expect(t.check(5n, 2)).toBe(Code.SessionMoved);
    expect(t.check(5n, 3)).toBe(Code.OK);
    expect(t.setOwner(6n, 3)).toBe(false);
    expect(t.check(6n, 3)).toBe(Code.SessionExpired);
    t.setClosing(5n);
    expect(t.check(5n, 3)).toBe(Code.SessionExpired);
    expect(t.setOwner(5n, 3)).toBe(false);
  });

  it('without an owner (standalone) ownership is never checked', () => {
    const t = table();
    t.track(5n, 4000, 1_000_000);
    t.setOwner(5n, 3);
    expect(t.check(5n)).toBe(Code.OK);
  });

  it('clearOwners forgets every owner (a new leader)', () => {
    const t = table();
    t.track(5n, 4000, 1_000_000);
    t.setOwner(5n, 3);
    t.clearOwners();
    expect(t.check(5n, 2)).toBe(Code.OK);
    expect(t.get(5n)?.owner).toBe(2);
  });
});
