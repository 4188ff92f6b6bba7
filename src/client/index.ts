// Browser-safe public surface of the client library (node-tcp.ts is deliberately not exported).
export * from './api';
export { ZooKeeper, IllegalStateException, CONFIG_NODE, type ZooKeeperOptions } from './zookeeper';
export { MultiKeeperException } from './multi-exception';
export { IllegalArgumentException, validatePath, pathProblem } from './path-utils';
export { parseConnectString, DEFAULT_PORT, type ParsedConnectString } from './connect-string';
export { hostTimers, type Timers, type TimerHandle } from './timers';
