// What a compatibility case is: a named async function over a client factory and a transcript.
import type { Transcript } from './transcript';
import type { CompatClient } from './nzk-client';

export interface ConnectOptions {
  /** Appended to the connect string, e.g. "/c_chroot/base". */
  chroot?: string;
  /** Requested session timeout; the server negotiates it (Apache: clamp to [2, 20] x tickTime). */
  sessionTimeoutMs?: number;
  /** Reconnect to an existing session (expect "expired" with a wrong password). */
  sessionId?: bigint;
  sessionPassword?: Uint8Array;
  /** Default 'connected'. Use 'expired' when the connect is expected to be refused. */
  expect?: 'connected' | 'expired';
}

/** Opens a logging client labelled `label` ("A", "B", ...) and waits for it to connect. */
export type ClientFactory = (label: string, opts?: ConnectOptions) => Promise<CompatClient>;

export interface CaseContext {
  connect: ClientFactory;
  log: Transcript;
  /** A fresh path per case ("/c_<name>"), not created yet: cases create it themselves. */
  root: string;
}

export interface CompatCase {
  name: string;
  /** One line: what Apache behaviour this pins down. */
  about: string;
  run(ctx: CaseContext): Promise<void>;
  /**
   * Recorded and diffed, but a difference does not fail the compat test: the behaviour is an
   * Apache implementation detail (e.g. Java HashSet order) that clients must not depend on.
   */
  informational?: boolean;
  /** Slow cases (waiting for a session to expire); still run by default. */
  slowMs?: number;
}
