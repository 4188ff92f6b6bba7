// `npx tsx bench/idb-commit-latency.ts`: the floor under a tab's durable log write. One IndexedDB
// readwrite transaction per put of 200 bytes, awaited to completion, N in a row, from a dedicated
// worker of a page in headless Chromium on an on-disk profile (as bench/tabs-browser.ts runs the
// tabs), with durability 'strict' (what src/storage/idb-storage.ts uses), 'relaxed', then 'strict'
// again, and WORKERS workers committing at once in the origin's default bucket and in a Storage Bucket
// each. Prints p50/p90/p99/max ms per worker and run. Env: N (500), WORKERS (3), PORT (5399).
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';

const N = Number(process.env.N ?? 500);
const PORT = Number(process.env.PORT ?? 5399);
const WORKERS = Number(process.env.WORKERS ?? 3);

// Plain JS: it runs in the worker as written.
const WORKER_JS = `
onmessage = async (e) => {
  const { durability, n, bucket } = e.data;
  // bucket: a Storage Bucket of its own (its own IndexedDB backing store) instead of the origin's default.
  const factory = bucket === null ? indexedDB : (await navigator.storageBuckets.open(bucket, { durability })).indexedDB;
  const db = await new Promise((resolve, reject) => {
    const r = factory.open('latency-' + durability + '-' + Date.now() + '-' + Math.random(), 1);
    r.onupgradeneeded = () => r.result.createObjectStore('log');
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const latencies = [];
  const payload = new Uint8Array(200);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await new Promise((resolve, reject) => {
      const tx = db.transaction('log', 'readwrite', { durability });
      tx.objectStore('log').put(payload, String(i).padStart(10, '0'));
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    latencies.push(performance.now() - t0);
  }
  latencies.sort((a, b) => a - b);
  const at = (f) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * f))].toFixed(2);
  postMessage({ durability, bucket, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: latencies[latencies.length - 1].toFixed(1) });
};`;

async function main(): Promise<void> {
  const server = http.createServer((request, response) => {
    const isWorker = request.url === '/worker.js';
    response.setHeader('content-type', isWorker ? 'text/javascript' : 'text/html');
    response.end(isWorker ? WORKER_JS : '<!doctype html><title>idb</title>');
  });
  await new Promise<void>((resolve) => server.listen(PORT, '127.0.0.1', resolve));
  const profileDir = mkdtempSync(path.join(os.tmpdir(), 'zootabs-idb-latency-'));
  const context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${PORT}/`);
    process.stdout.write(`${N} sequential readwrite transactions of one 200-byte put, load ${os.loadavg().map((v) => v.toFixed(1)).join(' / ')}\n`);
    // WORKERS workers commit at once (the 3 servers of a 3-tab cluster share one origin): in the
    // origin's default bucket, then each in a Storage Bucket of its own.
    const runs: Array<{ durability: string; workers: number; buckets: boolean }> = [
      { durability: 'strict', workers: 1, buckets: false },
      { durability: 'relaxed', workers: 1, buckets: false },
      { durability: 'strict', workers: WORKERS, buckets: false },
      { durability: 'strict', workers: WORKERS, buckets: true },
      { durability: 'strict', workers: 1, buckets: false },
    ];
    for (const run of runs) {
      const results = await page.evaluate(
        ({ durability, n, workers, buckets }) =>
          Promise.all(
            Array.from({ length: workers }, (_, i) =>
              new Promise((resolve) => {
                const worker = new Worker('/worker.js');
                worker.onmessage = (event) => resolve(event.data);
                worker.postMessage({ durability, n, bucket: buckets ? `bench-${i}-${Date.now()}` : null });
              }),
            ),
          ),
        { durability: run.durability, n: N, workers: run.workers, buckets: run.buckets },
      );
      process.stdout.write(`${run.workers} worker(s) at once${run.buckets ? ', a bucket each' : ''}: ${JSON.stringify(results)}\n`);
    }
  } finally {
    await context.close();
    server.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
