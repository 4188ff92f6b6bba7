// Timeouts the Java client derives from the session timeout (ClientCnxn / SendThread.run).

/** Reconnect pause after trying every server once (StaticHostProvider spin delay). */
export const SPIN_DELAY_MS = 1000;
/** Upper bound of the random pause before each reconnect (ClientCnxn.startConnect). */
export const RECONNECT_JITTER_MAX_MS = 1000;
/** The client pings at least this often whatever the timeout (MAX_SEND_PING_INTERVAL). */
export const MAX_PING_INTERVAL_MS = 10_000;

/**
 * The pause after a full cycle of servers that all failed. Java's client always waits
 * SPIN_DELAY_MS ({initialMs: 1000, maxMs: 1000}, the default). A client whose servers are cheap to
 * try (ZooTabs' tabs: a refusal costs one local message) may start lower and double the pause per
 * further failed cycle up to maxMs: right after a failover the servers become ready again within a
 * few hundred ms (finalizeWait + sync), and a fixed 1 s pause would be most of the client's outage.
 */
export interface SpinDelayOptions {
  initialMs: number;
  maxMs: number;
}

export const JAVA_SPIN_DELAY: SpinDelayOptions = { initialMs: SPIN_DELAY_MS, maxMs: SPIN_DELAY_MS };

/** Spin pauses for consecutive failed cycles; reset() once a server accepted the session. */
export class SpinBackoff {
  private nextMs: number;

  constructor(private readonly options: SpinDelayOptions = JAVA_SPIN_DELAY) {
    const { initialMs, maxMs } = options;
    if (!Number.isSafeInteger(initialMs) || !Number.isSafeInteger(maxMs) || initialMs < 1 || maxMs < initialMs) {
      throw new RangeError(`bad spin delay ${initialMs}..${maxMs} ms`);
    }
    this.nextMs = initialMs;
  }

  /** The pause for this failed cycle; the next one is twice as long, up to maxMs. */
  take(): number {
    const delayMs = this.nextMs;
    this.nextMs = Math.min(this.options.maxMs, delayMs * 2);
    return delayMs;
  }

  reset(): void {
    this.nextMs = this.options.initialMs;
  }
}

export interface SessionTiming {
  /** Drop the connection after this long without hearing from the server. */
  readTimeoutMs: number;
  /** Give up on one server's handshake after this long and try the next. */
  connectTimeoutMs: number;
}

/** readTimeout = timeout*2/3, connectTimeout = timeout/hostCount, with Java's integer division. */
export function sessionTiming(sessionTimeoutMs: number, hostCount: number): SessionTiming {
  return {
    readTimeoutMs: Math.trunc((sessionTimeoutMs * 2) / 3),
    connectTimeoutMs: Math.trunc(sessionTimeoutMs / Math.max(1, hostCount)),
  };
}

/**
 * How long after the last send the next ping goes. Java pings when idleSend reaches readTimeout/2,
 * but subtracts a 1 s safety margin once idleSend exceeds 1 s, and never idles over 10 s.
 */
export function pingDelayMs(readTimeoutMs: number): number {
  const half = Math.trunc(readTimeoutMs / 2);
  let delay: number;
  if (half <= 1000) delay = half;
  else delay = Math.max(1001, half - 1000);
  return Math.min(delay, MAX_PING_INTERVAL_MS + 1);
}
