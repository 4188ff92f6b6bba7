// scripts/serve.mjs (`npm run serve`): the built app and its PeerServer, with the page's config
// (PeerServer port, ICE servers) put into index.html.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = path.resolve(import.meta.dirname, '../../scripts/serve.mjs');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function fakeDist(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zootabs-serve-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
  return dir;
}

describe('npm run serve', () => {
  let child: ChildProcess;
  let base: string;
  let peerPort: number;
  const ice = [{ urls: 'stun:stun.invalid:3478' }];

  beforeAll(async () => {
    const port = await freePort();
    peerPort = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [SCRIPT], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), PEER_PORT: String(peerPort), DIST_DIR: fakeDist(), ICE_SERVERS: JSON.stringify(ice) },
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${base}/`)).ok) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('serve.mjs did not start');
  });

  afterAll(() => {
    child.kill('SIGTERM');
  });

  it('puts the PeerServer port and the ICE servers into index.html', async () => {
    const html = await (await fetch(`${base}/?cluster=demo`)).text();
    const match = /window\.__ZOOTABS_CONFIG__=(\{.*?\})<\/script>/.exec(html);
    expect(match).not.toBeNull();
    expect(JSON.parse(match![1]!)).toEqual({ peerPort, peerPath: '/peerjs', iceServers: ice });
  });

  it('serves assets, answers 404 for a missing asset and never leaves dist/', async () => {
    const asset = await fetch(`${base}/assets/app.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    const escape = await fetch(`${base}/%2e%2e/%2e%2e/package.json`);
    expect(escape.status).not.toBe(200);
  });

  it('runs its PeerServer', async () => {
    const reply = await fetch(`http://127.0.0.1:${peerPort}/peerjs`);
    expect(reply.ok).toBe(true);
    expect(await reply.text()).toContain('PeerJS');
  });

  it('refuses ICE_SERVERS that are not a JSON list of servers, in plain words', () => {
    const run = spawnSync(process.execPath, [SCRIPT], { env: { ...process.env, ICE_SERVERS: '{"urls":1}', DIST_DIR: fakeDist() }, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('ICE_SERVERS must be a JSON list');
  });
});
