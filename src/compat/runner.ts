// Runs compatibility cases against a server (a connect string) and produces normalized transcripts.
import type { CompatCase } from './case';
import { NzkFactory } from './nzk-client';
import { Transcript, type Json } from './transcript';

export interface CaseResult {
  name: string;
  transcript: Json[];
  durationMs: number;
}

export function caseRoot(name: string): string {
  return `/c_${name}`;
}

/** Runs one case; a harness failure (exception, timeout) is recorded in the transcript, not thrown. */
export async function runCase(c: CompatCase, connectString: string): Promise<CaseResult> {
  const started = Date.now();
  const log = new Transcript();
  const factory = new NzkFactory(connectString, log);
  try {
    await c.run({ connect: factory.connect, log, root: caseRoot(c.name) });
    await factory.finish();
  } catch (e) {
    log.add({ harnessError: String((e as Error).message ?? e) });
  }
  const transcript = log.finish();
  await factory.closeAll();
  return { name: c.name, transcript, durationMs: Date.now() - started };
}

export async function runCases(list: readonly CompatCase[], connectString: string, onResult?: (r: CaseResult) => void): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const c of list) {
    const r = await runCase(c, connectString);
    onResult?.(r);
    out.push(r);
  }
  return out;
}
