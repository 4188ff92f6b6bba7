// Takes docs/screenshots/app.png: starts the app (`scripts/start.mjs`) on spare ports, opens it in
// Chromium with a fresh profile, creates a few znodes through the console like a person would,
// selects one, and saves a screenshot. Usage: node scripts/screenshot.mjs [out.png]
// `node scripts/screenshot.mjs cluster [out.png]` takes docs/screenshots/cluster.png instead: the
// single-tab ensemble of 3 servers after a few writes, with one slow link, messages in flight.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const clusterShot = process.argv[2] === 'cluster';
const outArg = clusterShot ? process.argv[3] : process.argv[2];
const out = resolve(outArg ?? join(root, clusterShot ? 'docs/screenshots/cluster.png' : 'docs/screenshots/app.png'));
const PORT = Number(process.env.PORT ?? 5197);
const PEER_PORT = Number(process.env.PEER_PORT ?? 9097);
const STARTUP_TIMEOUT_MS = 60_000;

const COMMANDS = [
  'create /app ""',
  'create /app/config {"db":{"host":"10.0.0.5","port":5432},"features":["tree","console"],"replicas":3}',
  'create /app/locks ""',
  'create -e -s /app/locks/lock- worker-1',
  'create -e -s /app/locks/lock- worker-2',
  'create -c /app/queue',
  'create -t 600000 /app/lease tenant-a',
  'create /brokers ""',
  'create /brokers/ids ""',
  'create -e /brokers/ids/1 {"host":"broker-1","port":9092}',
  'create /hello world',
  'get -s /app/config',
  'ls -R /app',
];

function startApp() {
  const child = spawn(process.execPath, [join(root, 'scripts/start.mjs')], {
    cwd: root,
    env: { ...process.env, PORT: String(PORT), PEER_PORT: String(PEER_PORT) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error('the app did not start in time')), STARTUP_TIMEOUT_MS);
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      if (String(chunk).includes('ZooTabs: open')) {
        clearTimeout(timer);
        resolveReady();
      }
    });
    child.on('exit', (code) => reject(new Error(`start.mjs exited with ${code}`)));
  });
  return { child, ready };
}

async function main() {
  const app = startApp();
  const profile = mkdtempSync(join(tmpdir(), 'zootabs-shot-'));
  let context;
  try {
    await app.ready;
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1440, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => console.error('page error:', e.message));
    if (clusterShot) {
      await shootCluster(page);
      return;
    }
    await page.goto(`http://127.0.0.1:${PORT}/?cluster=shot&size=3&mode=standalone`);
    await page.getByRole('group', { name: 'server 1' }).getByText('STANDALONE').waitFor();
    const input = page.getByRole('textbox', { name: 'zkCli command' });
    const output = page.getByRole('log', { name: 'zkCli output' });
    await output.getByText(/CONNECTED/).first().waitFor().catch(() => undefined);
    for (const command of COMMANDS) {
      await input.fill(command);
      await input.press('Enter');
    }
    await output.getByText('/app/queue').first().waitFor();
    await page.getByRole('treeitem', { name: 'config', exact: true }).filter({ hasText: '/app/config' }).click();
    await page.getByRole('region', { name: 'inspector' }).getByText('"replicas": 3').waitFor();
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    console.log(`saved ${out}`);
    if (process.env.TREE_SHOT) await page.getByRole('region', { name: 'znodes' }).screenshot({ path: process.env.TREE_SHOT, scale: 'device' });
  } finally {
    await context?.close();
    app.child.kill('SIGTERM');
    rmSync(profile, { recursive: true, force: true });
  }
}

const CLUSTER_COMMANDS = [
  'create /app ""',
  'create /app/config {"db":{"host":"10.0.0.5","port":5432},"replicas":3}',
  'create /app/locks ""',
  'create -e -s /app/locks/lock- worker-1',
  'create /brokers ""',
  'create -e /brokers/leader broker-1',
];

/** The single-tab ensemble: stable, a few writes, one slow link, a write in flight when shot. */
async function shootCluster(page) {
  await page.goto(`http://127.0.0.1:${PORT}/?cluster=shot&size=3&mode=simulate&tickTime=500`);
  const leading = page.getByRole('group', { name: /^server \d$/ }).filter({ has: page.getByText('LEADING', { exact: true }) });
  const following = page.getByRole('group', { name: /^server \d$/ }).filter({ has: page.getByText('FOLLOWING', { exact: true }) });
  await leading.first().waitFor({ timeout: 60_000 });
  while ((await following.count()) < 2) await page.waitForTimeout(200);
  const input = page.getByRole('textbox', { name: 'zkCli command' });
  const output = page.getByRole('log', { name: 'zkCli output' });
  await page.getByText(/\(CONNECTED\) \d+\]/).first().waitFor({ timeout: 30_000 });
  for (const command of CLUSTER_COMMANDS) {
    await input.fill(command);
    await input.press('Enter');
  }
  await output.getByText('Created /brokers/leader').waitFor();
  await page.getByRole('button', { name: 'Links' }).click();
  const links = page.getByRole('form', { name: 'link faults' });
  // 400 ms each way on the 2-3 link: the sliders move in 10 ms steps, by keyboard as a person would.
  for (const name of ['latency 2→3 (ms)', 'latency 3→2 (ms)']) {
    await links.getByRole('slider', { name }).focus();
    for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowRight');
  }
  await links.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('treeitem', { name: 'config', exact: true }).filter({ hasText: '/app/config' }).click();
  await page.getByRole('region', { name: 'inspector' }).getByText('"replicas": 3').waitFor();
  await page.waitForTimeout(1500);
  await input.fill('set /app/config {"db":{"host":"10.0.0.6","port":5432},"replicas":3}');
  await input.press('Enter');
  await page.waitForTimeout(140);
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`saved ${out}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
