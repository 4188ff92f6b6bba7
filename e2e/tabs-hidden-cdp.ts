// A Chromium that Playwright does not attach to, driven over the DevTools protocol (pipe).
// Why not a Playwright page: Playwright enables `Emulation.setFocusEmulationEnabled` on every page
// it attaches to (also after connectOverCDP), and in Chromium that keeps the page "visible": a
// background tab or a minimized window then never becomes `document.visibilityState === 'hidden'`,
// so timer throttling of hidden pages cannot be observed. Here nothing emulates focus, and none of
// Playwright's anti-throttling switches (--disable-background-timer-throttling,
// --disable-renderer-backgrounding, --disable-backgrounding-occluded-windows) are passed: a
// minimized window's page is really hidden, as for a person who minimized it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CHROMIUM_PATH } from '../playwright.config';

interface Reply {
  id: number;
  result?: Record<string, unknown>;
  error?: { message: string };
}

export interface CdpTab {
  targetId: string;
  sessionId: string;
}

export class CdpBrowser {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private buffer = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly profileDir: string,
  ) {
    const out = child.stdio[4] as Readable;
    out.setEncoding('utf8');
    out.on('data', (chunk: string) => this.receive(chunk));
  }

  static launch(): CdpBrowser {
    const profileDir = mkdtempSync(path.join(os.tmpdir(), 'zootabs-cdp-'));
    const args = ['--headless', '--remote-debugging-pipe', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync', '--disable-component-update', '--disable-background-networking', `--user-data-dir=${profileDir}`, 'about:blank'];
    const child = spawn(CHROMIUM_PATH, args, { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
    return new CdpBrowser(child, profileDir);
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(this.buffer.slice(0, end)) as Reply;
      this.buffer = this.buffer.slice(end + 1);
      const resolve = this.pending.get(message.id);
      if (resolve !== undefined) {
        this.pending.delete(message.id);
        resolve(message);
      }
    }
  }

  async send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<T> {
    const id = this.nextId++;
    const reply = await new Promise<Reply>((resolve) => {
      this.pending.set(id, resolve);
      (this.child.stdio[3] as Writable).write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    });
    if (reply.error !== undefined) throw new Error(`${method}: ${reply.error.message}`);
    return reply.result as T;
  }

  /** Opens `url` in a new window (one tab per window, so minimizing one hides only that page). */
  async openWindow(url: string): Promise<CdpTab> {
    const { targetId } = await this.send<{ targetId: string }>('Target.createTarget', { url, newWindow: true });
    const { sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    return { targetId, sessionId };
  }

  /** Evaluates an expression in the tab (awaiting a returned promise); returns its JSON value. */
  async evaluate<T>(tab: CdpTab, expression: string): Promise<T> {
    const result = await this.send<{ result: { value?: T }; exceptionDetails?: { text: string } }>(
      'Runtime.evaluate',
      { expression, awaitPromise: true, returnByValue: true },
      tab.sessionId,
    );
    if (result.exceptionDetails !== undefined) throw new Error(`evaluate failed: ${result.exceptionDetails.text}`);
    return result.result.value as T;
  }

  async setWindowState(tab: CdpTab, windowState: 'minimized' | 'normal'): Promise<void> {
    const { windowId } = await this.send<{ windowId: number }>('Browser.getWindowForTarget', { targetId: tab.targetId });
    await this.send('Browser.setWindowBounds', { windowId, bounds: { windowState } });
  }

  /** 'frozen' is what Chromium does to some background tabs (task queues of the page stop). */
  async setLifecycle(tab: CdpTab, state: 'frozen' | 'active'): Promise<void> {
    await this.send('Page.setWebLifecycleState', { state }, tab.sessionId);
  }

  async close(): Promise<void> {
    await this.send('Browser.close').catch(() => undefined);
    for (let i = 0; i < 50 && this.child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    rmSync(this.profileDir, { recursive: true, force: true });
  }
}
