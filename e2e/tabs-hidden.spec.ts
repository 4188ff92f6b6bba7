// Issue 4: "Background tabs must keep their server alive: timers in the worker, not the page, so
// tab throttling does not starve heartbeats (measure it with hidden tabs)". Three tabs of a real
// headless Chromium that Playwright does not attach to (see e2e/tabs-hidden-cdp.ts: Playwright's
// focus emulation keeps every page visible), each tab in its own window. The leader's window is
// minimized: its page is really hidden (document.visibilityState === 'hidden') and Chromium
// throttles its timers. The server's heartbeats run on the worker's timers, so the leader must
// stay LEADING, the followers FOLLOWING, under the same epoch, for longer than 3 x syncLimit x
// tickTime. Both timer latenesses are measured (a page setInterval and a setInterval in a dedicated
// worker of the same page, 100 ms period). With TABS_HIDDEN_RESULTS=1 the numbers go into
// bench/results/tabs.md.
import { expect, test } from '@playwright/test';
import { E2E_PORT } from '../playwright.config';
import { writeHiddenSection } from '../bench/tabs-results';
import { uniqueCluster } from './app';
import { CdpBrowser, type CdpTab } from './tabs-hidden-cdp';

const TICK_MS = 200;
const SYNC_LIMIT_TICKS = 5;
/** Hidden for at least 3 x syncLimit x tickTime (3 s here); longer by default to see throttling. */
const HIDDEN_MS = Math.max(3 * SYNC_LIMIT_TICKS * TICK_MS, Number(process.env.TABS_HIDDEN_MS ?? 20_000));
const FROZEN_MS = 3 * SYNC_LIMIT_TICKS * TICK_MS + 2_000;
const BASE = `http://127.0.0.1:${E2E_PORT}`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface ServerView {
  state: string;
  epoch: string;
}

interface LatenessStats {
  ticks: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const viewOf = (myid: number): string => `(() => {
  const card = document.querySelector('[role="group"][aria-label="server ${myid}"]');
  if (card === null) return { state: '', epoch: '' };
  const state = (card.querySelector('.state-word')?.textContent ?? '').trim();
  const epoch = /epoch\\s*(\\d+)/.exec(card.textContent ?? '')?.[1] ?? '';
  return { state, epoch };
})()`;

// A 100 ms setInterval on the page and one in a dedicated worker of the page, each recording how
// late every tick came. `__timerProbe.take()` returns both and starts over.
const INSTALL_PROBE = `(() => {
  const PERIOD = 100;
  const stats = (lates) => {
    const s = [...lates].sort((a, b) => a - b);
    const at = (f) => s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.floor(s.length * f))];
    return { ticks: s.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: s.length === 0 ? 0 : s[s.length - 1] };
  };
  let pageLates = [];
  let last = performance.now();
  setInterval(() => { const now = performance.now(); pageLates.push(now - last - PERIOD); last = now; }, PERIOD);
  const source = 'let lates = []; let last = performance.now();' +
    'setInterval(() => { const now = performance.now(); lates.push(now - last - ' + PERIOD + '); last = now; }, ' + PERIOD + ');' +
    'onmessage = () => { postMessage(lates); lates = []; };';
  const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
  window.__timerProbe = {
    take: () => new Promise((resolve) => {
      worker.onmessage = (e) => { const page = stats(pageLates); pageLates = []; resolve({ page, worker: stats(e.data) }); };
      worker.postMessage('take');
    }),
  };
  return true;
})()`;

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

async function openThreeTabs(browser: CdpBrowser, cluster: string): Promise<CdpTab[]> {
  const tabs: CdpTab[] = [];
  // One at a time, so the myid claims come out 1, 2, 3 in window order.
  for (const myid of [1, 2, 3]) {
    const tab = await browser.openWindow(`${BASE}/?cluster=${cluster}&size=3&mode=tabs&tickTime=${TICK_MS}`);
    await until(`tab ${myid} to show server ${myid}`, 60_000, async () => ((await browser.evaluate<ServerView>(tab, viewOf(myid))).state !== '' ? true : null));
    tabs.push(tab);
  }
  return tabs;
}

async function views(browser: CdpBrowser, tabs: readonly CdpTab[]): Promise<ServerView[]> {
  return Promise.all(tabs.map((tab, i) => browser.evaluate<ServerView>(tab, viewOf(i + 1))));
}

/** Waits for one LEADING and two FOLLOWING, all under one epoch; returns the leader's myid. */
async function stableLeader(browser: CdpBrowser, tabs: readonly CdpTab[], timeoutMs = 60_000): Promise<number> {
  return until('one leader and two followers', timeoutMs, async () => {
    const vs = await views(browser, tabs);
    const leaders = vs.flatMap((v, i) => (v.state === 'LEADING' ? [i + 1] : []));
    const ok = leaders.length === 1 && vs.filter((v) => v.state === 'FOLLOWING').length === 2 && new Set(vs.map((v) => v.epoch)).size === 1;
    return ok ? (leaders[0] as number) : null;
  });
}

const visibility = (browser: CdpBrowser, tab: CdpTab): Promise<string> => browser.evaluate<string>(tab, 'document.visibilityState');
const fmt = (s: LatenessStats): string => `${s.ticks} ticks, late p50 ${s.p50Ms.toFixed(0)} / p99 ${s.p99Ms.toFixed(0)} / max ${s.maxMs.toFixed(0)} ms`;

test.describe.configure({ mode: 'serial' });

/** The first test's lines, written to tabs.md together with the second's (serial, one worker). */
let hiddenReport: string | undefined;

test('a hidden (minimized) leader tab keeps leading: its worker timers are not throttled', async () => {
  test.setTimeout(HIDDEN_MS + 180_000);
  const browser = CdpBrowser.launch();
  try {
    const tabs = await openThreeTabs(browser, uniqueCluster('hidden'));
    const leader = await stableLeader(browser, tabs);
    const leaderTab = tabs[leader - 1] as CdpTab;
    const epoch = (await views(browser, tabs))[leader - 1]?.epoch;
    for (const tab of tabs) expect(await browser.evaluate<boolean>(tab, INSTALL_PROBE)).toBe(true);

    // Visible baseline, then the same span with the leader's window minimized.
    await sleep(5_000);
    const visibleLateness = await browser.evaluate<{ page: LatenessStats; worker: LatenessStats }>(leaderTab, 'window.__timerProbe.take()');
    await browser.setWindowState(leaderTab, 'minimized');
    await until('the leader page to be hidden', 10_000, async () => ((await visibility(browser, leaderTab)) === 'hidden' ? true : null));
    await browser.evaluate(leaderTab, 'window.__timerProbe.take()');
    const hiddenAt = Date.now();
    const deviations: string[] = [];
    let samples = 0;
    while (Date.now() - hiddenAt < HIDDEN_MS) {
      const vs = await views(browser, tabs);
      samples++;
      vs.forEach((v, i) => {
        const expected = i + 1 === leader ? 'LEADING' : 'FOLLOWING';
        if (v.state !== expected || v.epoch !== epoch) deviations.push(`+${Date.now() - hiddenAt} ms server ${i + 1}: ${v.state} epoch ${v.epoch}`);
      });
      if ((await visibility(browser, leaderTab)) !== 'hidden') deviations.push(`+${Date.now() - hiddenAt} ms leader page no longer hidden`);
      await sleep(250);
    }
    const hiddenLateness = await browser.evaluate<{ page: LatenessStats; worker: LatenessStats }>(leaderTab, 'window.__timerProbe.take()');
    const hiddenForMs = Date.now() - hiddenAt;
    await browser.setWindowState(leaderTab, 'normal');
    await until('the leader page to be visible again', 10_000, async () => ((await visibility(browser, leaderTab)) === 'visible' ? true : null));

    const lines = [
      `Leader tab (server ${leader}) minimized for ${(hiddenForMs / 1000).toFixed(1)} s (document.visibilityState 'hidden'; required > 3 x syncLimit ${SYNC_LIMIT_TICKS} x tickTime ${TICK_MS} ms = ${3 * SYNC_LIMIT_TICKS * TICK_MS} ms); ${samples} samples of all three server cards every 250 ms.`,
      `Cluster while hidden: ${deviations.length === 0 ? `server ${leader} LEADING and the others FOLLOWING in every sample, epoch ${epoch} throughout (no re-election)` : `DEVIATIONS: ${deviations.slice(0, 10).join('; ')}`}.`,
      '',
      '| 100 ms setInterval in the leader tab | visible (5 s) | hidden |',
      '|---|---|---|',
      `| page (main thread) | ${fmt(visibleLateness.page)} | ${fmt(hiddenLateness.page)} |`,
      `| dedicated worker of the page | ${fmt(visibleLateness.worker)} | ${fmt(hiddenLateness.worker)} |`,
    ];
    test.info().annotations.push({ type: 'hidden-tab', description: lines.join('\n') });
    console.log(lines.join('\n'));
    expect(deviations).toEqual([]);
    // The page's own timers are throttled while hidden (Chromium aligns them to about 1 s), the
    // worker's are not: that difference is why the server's clock ticks live in the worker.
    expect(hiddenLateness.worker.ticks).toBeGreaterThan(hiddenForMs / 100 / 2);
    hiddenReport = lines.join("\n");
  } finally {
    await browser.close();
  }
});

test('a frozen leader tab (Page.setWebLifecycleState frozen) freezes its worker too: the other tabs elect a new leader, it rejoins when thawed', async () => {
  test.setTimeout(180_000);
  const browser = CdpBrowser.launch();
  try {
    const tabs = await openThreeTabs(browser, uniqueCluster('frozen'));
    const leader = await stableLeader(browser, tabs);
    const leaderTab = tabs[leader - 1] as CdpTab;
    const oldEpoch = Number((await views(browser, tabs))[leader - 1]?.epoch);
    for (const tab of tabs) await browser.evaluate(tab, INSTALL_PROBE);
    await browser.setLifecycle(leaderTab, 'frozen');
    const frozenAt = Date.now();
    const others = [1, 2, 3].filter((id) => id !== leader);
    let reelectedAfterMs: number | null = null;
    while (Date.now() - frozenAt < FROZEN_MS) {
      const vs = await Promise.all(others.map((id) => browser.evaluate<ServerView>(tabs[id - 1] as CdpTab, viewOf(id))));
      if (reelectedAfterMs === null && vs.some((v) => v.state === 'LEADING' || Number(v.epoch) > oldEpoch)) reelectedAfterMs = Date.now() - frozenAt;
      await sleep(100);
    }
    await browser.setLifecycle(leaderTab, 'active');
    // Let the thawed worker run its overdue timer before asking for its numbers (the request could
    // otherwise be handled first and see no tick at all).
    await sleep(1_000);
    // null: the page was reloaded meanwhile (the dev server reloads pages when a source file is saved).
    const frozenLateness = await browser.evaluate<{ page: LatenessStats; worker: LatenessStats } | null>(leaderTab, 'window.__timerProbe ? window.__timerProbe.take() : null');
    const newLeader = await stableLeader(browser, tabs, 90_000);
    const newEpoch = Number((await views(browser, tabs))[newLeader - 1]?.epoch);
    const lines = [
      `Frozen leader tab (server ${leader}, Page.setWebLifecycleState 'frozen' for ${FROZEN_MS} ms): ${reelectedAfterMs === null ? 'the other tabs did NOT re-elect: the frozen page\'s worker kept the server alive' : `the other tabs elected a new leader after ${reelectedAfterMs} ms: freezing the page also freezes its dedicated worker, so the server stops (as a SIGSTOP would)`}; after thawing: server ${newLeader} leads, epoch ${oldEpoch} -> ${newEpoch}.`,
      frozenLateness === null ? 'Timers over the frozen span: not available (the page was reloaded meanwhile).' : `Timers over the frozen span in that tab: page ${fmt(frozenLateness.page)}; worker ${fmt(frozenLateness.worker)}.`,
    ];
    console.log(lines.join('\n'));
    const hiddenLines = hiddenReport;
    if (process.env.TABS_HIDDEN_RESULTS === '1' && hiddenLines !== undefined) {
      writeHiddenSection(
        [
          `Measured by \`TABS_HIDDEN_RESULTS=1 npx playwright test e2e/tabs-hidden.spec.ts --workers=1\` on ${new Date().toISOString()}, load average ${(await import('node:os')).loadavg().map((v) => v.toFixed(1)).join(' / ')}; headless Chromium without Playwright's anti-throttling switches, tickTime ${TICK_MS} ms.`,
          '',
          hiddenLines,
          '',
          ...lines,
        ].join('\n'),
      );
    }
    // Measured finding (Chromium 156): a frozen page's dedicated worker is frozen with it, so its
    // server stops like a SIGSTOP'ed process and the other tabs elect a new leader. If a Chromium
    // stops freezing workers this fails and the results above must be revisited. Either way the
    // ensemble converges again once the tab thaws (stableLeader above) under a newer epoch.
    if (frozenLateness !== null && frozenLateness.worker.ticks > 0) expect(frozenLateness.worker.maxMs).toBeGreaterThan(FROZEN_MS / 2);
    expect(reelectedAfterMs).not.toBeNull();
    expect(newEpoch).toBeGreaterThan(oldEpoch);
  } finally {
    await browser.close();
  }
});
