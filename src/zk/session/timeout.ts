// ZooKeeperServer.processConnectRequest clamps the requested timeout into [min, max].
export function negotiateSessionTimeoutMs(requestedMs: number, minMs: number, maxMs: number): number {
  if (minMs > maxMs) throw new RangeError(`minSessionTimeout ${minMs} > maxSessionTimeout ${maxMs}`);
  if (requestedMs < minMs) return minMs;
  if (requestedMs > maxMs) return maxMs;
  return requestedMs;
}
