// Multi-tab mode on a machine where WebRTC finds no network interface: the PeerServer answers, but
// WebRTC gathers no ICE candidates, so tabs would register and never link. Each tab says so in
// plain words (not the PeerServer text), shows its links as a BroadcastChannel, offers
// "Simulate N servers here", and the tabs of this browser still form their ensemble.
//
// The browser runs with Chromium's `--webrtc-ip-handling-policy=disable_non_proxied_udp` (the
// switch behind the "WebRTC IP handling" policy): without a proxy, WebRTC then gathers no
// candidates at all, as on a loopback-only machine. (`--force-webrtc-ip-handling-policy` has no
// effect in this Chromium: host candidates still come.) A real switch rather than a stubbed
// RTCPeerConnection, so the page's probe meets a real WebRTC stack.
import { expect, test, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { consoleOutput, run, uniqueCluster } from './app';
import { consoleConnected, server } from './cluster';
import { expectOneEnsembleInOwnTabs, readUntil } from './tabs';

test.use({ launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--webrtc-ip-handling-policy=disable_non_proxied_udp'] } });

/** As in tabs-fallback.spec.ts: three tabs and their workers on a loaded 2-core machine. */
const FALLBACK_TICK_MS = 1000;

const NO_INTERFACE = 'WebRTC finds no network interface on this machine';

/** The dev server's HMR socket gets a silent stand-in: others' edits must not reload these pages. */
test.beforeEach(async ({ context }) => {
  await context.routeWebSocket(/\/\?token=/, () => undefined);
});

async function openNoNetworkTab(page: Page, cluster: string, myid: number): Promise<void> {
  // No peerServer override: the PeerServer `npm start` runs is there and answers.
  await page.goto(`/?cluster=${cluster}&size=3&mode=tabs&tickTime=${FALLBACK_TICK_MS}`);
  const alert = page.getByRole('alert').filter({ hasText: NO_INTERFACE });
  await expect(alert).toContainText(`${NO_INTERFACE} (it gathered no ICE candidates`, { timeout: 20_000 });
  await expect(alert).toContainText('the tabs of this browser still form it, linked over a BroadcastChannel');
  await expect(alert).not.toContainText('PeerServer');
  await expect(page.getByRole('status', { name: 'links' })).toHaveText('links: BroadcastChannel (WebRTC finds no network interface)');
  await expect(page.getByRole('button', { name: 'Simulate 3 servers here' })).toBeVisible();
  await expect(server(page, myid)).toBeVisible({ timeout: 30_000 });
}

test('where WebRTC finds no network interface, three tabs say so, elect one leader over a BroadcastChannel, and replicate a write', async ({ context }) => {
  test.setTimeout(240_000);
  const cluster = uniqueCluster('nonet');
  const pages: Page[] = [];
  // One at a time, so the Web Locks claims come out as 1, 2, 3 in page order.
  for (const myid of [1, 2, 3]) {
    const page = await context.newPage();
    await openNoNetworkTab(page, cluster, myid);
    pages.push(page);
  }
  const [first, , third] = pages as [Page, Page, Page];

  await expectOneEnsembleInOwnTabs(pages);

  await consoleConnected(first);
  // Once: a create is not idempotent, and its reply may be slow on a loaded machine.
  await run(first, 'create /nonet hello');
  await expect(consoleOutput(first).getByText('Created /nonet', { exact: true })).toBeVisible({ timeout: 60_000 });
  await consoleConnected(third);
  await readUntil(third, 'get /nonet', 'hello');
});
