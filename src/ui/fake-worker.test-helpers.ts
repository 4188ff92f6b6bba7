// Test-only stand-in for a server Web Worker: records what the page posts to it.
import type { PageToWorker } from '../worker/protocol';
import type { WorkerLike } from './bridge';

export class FakeWorker implements WorkerLike {
  readonly posted: PageToWorker[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  postMessage(message: PageToWorker): void {
    this.posted.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  /** The posted messages' types, in order. */
  types(): string[] {
    return this.posted.map((m) => m.type);
  }
}
