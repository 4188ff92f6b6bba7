// Types for apache-zk.mjs (so TypeScript tests and tsx scripts can import it).
export interface ApacheStandalone {
  version: string;
  clientPort: number;
  connectString: string;
  dir: string;
  pid: number;
  logFile: string;
  srvr: string;
  stop(): Promise<void>;
}
export interface ApacheEnsemble {
  version: string;
  clientPorts: number[];
  connectString: string;
  dir: string;
  pids: number[];
  modes: Record<number, string>;
  stop(): Promise<void>;
}
export const JAVA_DIR: string;
export function apacheClasspath(): string;
export function apacheVersion(): string;
export function javaArgs(mainClass: string, cfgPath: string, extraProps?: Record<string, string>): string[];
export function fourLetterWord(port: number, word: string, timeoutMs?: number, host?: string): Promise<string>;
export function waitReady(port: number, opts?: { timeoutMs?: number; isAlive?: () => boolean; logFile?: string }): Promise<string>;
export function findFreePort(): Promise<number>;
export function portIsFree(port: number): Promise<boolean>;
export function stopPid(pid: number, timeoutMs?: number): Promise<void>;
export function startApacheStandalone(opts?: { clientPort?: number; dir?: string; detach?: boolean; extraProps?: Record<string, string> }): Promise<ApacheStandalone>;
export function startApacheEnsemble(opts?: { basePort?: number; size?: number; dir?: string; detach?: boolean; extraProps?: Record<string, string> }): Promise<ApacheEnsemble>;
export function stopFromDir(dir: string): Promise<void>;
