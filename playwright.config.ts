// End-to-end tests drive the real app (`npm start`: Vite + PeerServer) in the machine's Chromium.
import { defineConfig } from '@playwright/test';

export const E2E_PORT = Number(process.env.E2E_PORT ?? 5193);
export const E2E_PEER_PORT = Number(process.env.E2E_PEER_PORT ?? 9093);
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const baseURL = `http://127.0.0.1:${E2E_PORT}`;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  // One browser at a time: the multi-tab specs run three to five tabs (pages, workers, WebRTC) on
  // two cores, and a second spec beside them starves ZooKeeper's heartbeats.
  workers: 1,
  // CI retries a failed spec once (a real-browser cluster on a shared 2-core machine); locally none.
  retries: process.env['CI'] ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL,
    headless: true,
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'npm start',
    url: `${baseURL}/`,
    env: { PORT: String(E2E_PORT), PEER_PORT: String(E2E_PEER_PORT) },
    reuseExistingServer: false,
    timeout: 90_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
