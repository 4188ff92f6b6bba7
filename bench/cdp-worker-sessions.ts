// CDP sessions to a page's dedicated workers, for profiling them (bench/tabs-profile.ts). Playwright
// opens CDP sessions for pages only, and the browser-wide target list does not show dedicated
// workers here, so the page's own session auto-attaches to them (non-flat: each worker's commands
// and replies travel wrapped in Target.sendMessageToTarget / Target.receivedMessageFromTarget).
import type { CDPSession } from 'playwright-core';

export class WorkerSession {
  private nextId = 1;
  private readonly waiting = new Map<number, (result: unknown) => void>();

  constructor(
    private readonly parent: CDPSession,
    readonly sessionId: string,
    readonly url: string,
  ) {}

  receive(message: string): void {
    const parsed = JSON.parse(message) as { id?: number; result?: unknown };
    if (parsed.id !== undefined) this.waiting.get(parsed.id)?.(parsed.result);
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      void this.parent.send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) });
    });
  }
}

interface AttachedEvent { sessionId: string; targetInfo: { type: string; url: string } }

/** Attaches to every dedicated worker the page has (waits up to `settleMs` for the attach events). */
export async function attachPageWorkers(page: CDPSession, settleMs = 500): Promise<WorkerSession[]> {
  const sessions = new Map<string, WorkerSession>();
  page.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => sessions.get(event.sessionId)?.receive(event.message));
  page.on('Target.attachedToTarget', (event: AttachedEvent) => {
    if (event.targetInfo.type !== 'worker') return;
    sessions.set(event.sessionId, new WorkerSession(page, event.sessionId, event.targetInfo.url));
  });
  await page.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return [...sessions.values()];
}
