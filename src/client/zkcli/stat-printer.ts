// StatPrinter: the eleven "name = value" lines of `stat`, `get -s`, `ls -s`, `getAcl -s`, ...
import { hex, type Stat } from '../../zk/types';
import { formatJavaDate } from './java-date';
import type { Output } from './output';

export function statLines(stat: Stat, timeZone: string): string[] {
  return [
    `cZxid = ${hex(stat.czxid)}`,
    `ctime = ${formatJavaDate(Number(stat.ctime), timeZone)}`,
    `mZxid = ${hex(stat.mzxid)}`,
    `mtime = ${formatJavaDate(Number(stat.mtime), timeZone)}`,
    `pZxid = ${hex(stat.pzxid)}`,
    `cversion = ${stat.cversion}`,
    `dataVersion = ${stat.version}`,
    `aclVersion = ${stat.aversion}`,
    `ephemeralOwner = ${hex(stat.ephemeralOwner)}`,
    `dataLength = ${stat.dataLength}`,
    `numChildren = ${stat.numChildren}`,
  ];
}

export function printStat(out: Output, stat: Stat, timeZone: string): void {
  for (const line of statLines(stat, timeZone)) out.println(line);
}
