// Timeouts the Java client derives from the session timeout (ClientCnxn / SendThread.run).

/** Reconnect pause after trying every server once (StaticHostProvider spin delay). */
export const SPIN_DELAY_MS = 1000;
/** Upper bound of the random pause before each reconnect (ClientCnxn.startConnect). */
export const RECONNECT_JITTER_MAX_MS = 1000;
/** The client pings at least this often whatever the timeout (MAX_SEND_PING_INTERVAL). */
export const MAX_PING_INTERVAL_MS = 10_000;

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
