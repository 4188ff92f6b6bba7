// zkCli for ZooTabs: an interpreter with Apache ZooKeeper 3.8's zkCli.sh syntax and output.
export { ZkCli, type ZkCliOptions, type ConnectOptions, type ZooKeeperAdminApi } from './zk-cli';
export type { Completion } from './completion';
export type { EventFormat } from './watched-event';
export type { ReconfigFn } from './command';
export { parseMainArgs, type MainArgs } from './main-args';
export { formatJavaDate } from './java-date';
export { formatWatchedEvent } from './watched-event';
export { tokenizeCommand } from './tokenize';
