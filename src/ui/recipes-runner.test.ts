import { afterEach, describe, it, expect } from 'vitest';
import { flush } from '../client/fake-zk-server';
import { InProcessHost } from '../client/in-process-host';
import { RecipesRunner } from './recipes-runner';

async function settle(): Promise<void> {
  for (let i = 0; i < 4; i++) await flush();
}

const runners: RecipesRunner[] = [];
afterEach(() => {
  for (const r of runners.splice(0)) r.stopAll();
});

function runnerOn(host: InProcessHost, suffix = ''): RecipesRunner {
  const runner = new RecipesRunner((label) => host.client(`${label}:2181`), suffix);
  runners.push(runner);
  return runner;
}

describe('RecipesRunner', () => {
  it('runs the lock with separate sessions; the observer shows the line; closing sessions passes the lock', async () => {
    const host = new InProcessHost();
    const runner = runnerOn(host);
    runner.start(3);
    await settle();
    const view = () => runner.store.getState();
    expect(view().participants.map((p) => p.clientState)).toEqual(['CONNECTED', 'CONNECTED', 'CONNECTED']);
    expect(new Set(view().participants.map((p) => p.sessionId)).size).toBe(3);
    for (const name of ['p1', 'p2', 'p3']) {
      runner.act(name, 'acquire');
      await settle();
    }
    expect(view().participants.map((p) => p.status.split(' ')[0])).toEqual(['held', 'waiting', 'waiting']);
    expect(view().observed.items.map((i) => i.value)).toEqual(['p1', 'p2', 'p3']);
    runner.closeSession('p1');
    await settle();
    expect(view().participants.map((p) => p.status.split(' ')[0])).toEqual(['lost', 'held', 'waiting']);
    expect(view().observed.items.map((i) => i.value)).toEqual(['p2', 'p3']);
    expect(view().participants[0]?.ended).toBe(true);
    expect(view().events.some((e) => e.kind === 'session' && e.text.startsWith('p1 closed its session'))).toBe(true);
  });

  it('an action that does not fit the recipe is logged, not thrown; config set reaches every participant', async () => {
    const host = new InProcessHost();
    const runner = runnerOn(host);
    runner.choose('config');
    runner.start(2);
    await settle();
    runner.act('p1', 'acquire');
    expect(runner.store.getState().events.at(-1)?.kind).toBe('error');
    runner.act('p2', 'set', 'hello');
    await settle();
    expect(runner.store.getState().participants.map((p) => p.status)).toEqual(['config "hello" (version 0)', 'config "hello" (version 0)']);
    expect(runner.store.getState().observed.items).toEqual([{ name: 'config', value: 'hello' }]);
  });

  it('bounds the participants and names them with the tab suffix', async () => {
    const host = new InProcessHost();
    const runner = runnerOn(host, '@tab2');
    runner.start(100);
    await settle();
    expect(runner.store.getState().participants).toHaveLength(8);
    expect(runner.store.getState().participants[0]?.name).toBe('p1@tab2');
    runner.stopAll();
    expect(runner.store.getState().participants).toEqual([]);
  });
});
