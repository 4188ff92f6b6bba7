// Turning client values into transcript values: data, ACLs, perms, Stat, event/op names.
import { createHash } from 'node:crypto';
import { Code } from '../zk/errors';
import type { Stat } from '../zk/types';
import { SessionVal, TimeVal, ZxidVal, type RawEntry } from './transcript';

/** What a case passes as node data: utf8 text, bytes, or null (no data at all). */
export type Data = string | Uint8Array | null;

const SHORT_DATA_BYTES = 256;

export function toBuffer(d: Data | undefined): Buffer | null {
  if (d === null || d === undefined) return null;
  return typeof d === 'string' ? Buffer.from(d, 'utf8') : Buffer.from(d);
}

/** Short printable utf8 stays a string; anything else becomes { len, sha1 } (sha1 cut to 12 hex). */
export function describeData(d: Uint8Array | null | undefined): RawEntry[string] {
  if (d === null || d === undefined) return null;
  const buf = Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  if (buf.length <= SHORT_DATA_BYTES) {
    const text = buf.toString('utf8');
    // eslint-disable-next-line no-control-regex
    if (Buffer.from(text, 'utf8').equals(buf) && !/[\u0000-\u0008\u000e-\u001f]/.test(text)) return text;
  }
  return { len: buf.length, sha1: createHash('sha1').update(buf).digest('hex').slice(0, 12) };
}

export function describeInput(d: Data | undefined): RawEntry[string] {
  return describeData(toBuffer(d));
}

/** Perms as zkCli prints them (c d r w a). */
const PERM_LETTERS: ReadonlyArray<[string, number]> = [
  ['c', 4],
  ['d', 8],
  ['r', 1],
  ['w', 2],
  ['a', 16],
];
export function permsToString(perms: number): string {
  const s = PERM_LETTERS.filter(([, bit]) => (perms & bit) !== 0)
    .map(([l]) => l)
    .join('');
  const unknown = perms & ~31;
  return unknown === 0 ? s : `${s}+0x${unknown.toString(16)}`;
}
export function parsePerms(s: string): number {
  let perms = 0;
  for (const ch of s) {
    const bit = PERM_LETTERS.find(([l]) => l === ch)?.[1];
    if (bit === undefined) throw new Error(`bad perm letter ${ch} in ${s}`);
    perms |= bit;
  }
  return perms;
}

export interface AclSpec {
  /** zkCli letters, e.g. 'cdrwa' or 'r'. */
  perms: string;
  scheme: string;
  id: string;
}
export const OPEN: AclSpec[] = [{ perms: 'cdrwa', scheme: 'world', id: 'anyone' }];
export const CREATOR_ALL: AclSpec[] = [{ perms: 'cdrwa', scheme: 'auth', id: '' }];
export const READ_ONLY: AclSpec[] = [{ perms: 'r', scheme: 'world', id: 'anyone' }];

/** "cdrwa world:anyone" */
export function describeAcl(a: { perms: number; scheme: string; id: string }): string {
  return `${permsToString(a.perms)} ${a.scheme}:${a.id}`;
}
export function describeAclSpec(a: AclSpec): string {
  return `${a.perms} ${a.scheme}:${a.id}`;
}

/** The id a digest ACL needs for user:password (base64 sha1 of "user:password"). */
export function digestId(user: string, password: string): string {
  return `${user}:${createHash('sha1').update(`${user}:${password}`).digest('base64')}`;
}

export function describeStat(s: Stat): RawEntry {
  return {
    czxid: new ZxidVal(s.czxid),
    mzxid: new ZxidVal(s.mzxid),
    pzxid: new ZxidVal(s.pzxid),
    ctime: new TimeVal(s.ctime, s.czxid),
    mtime: new TimeVal(s.mtime, s.mzxid),
    version: s.version,
    cversion: s.cversion,
    aversion: s.aversion,
    ephemeralOwner: new SessionVal(s.ephemeralOwner),
    dataLength: s.dataLength,
    numChildren: s.numChildren,
  };
}

/** KeeperException.Code name, e.g. -101 -> "NoNode". */
export function errName(code: number): string {
  const name = Code[code];
  return name === undefined ? `Code(${code})` : name;
}

const EVENT_NAMES: Record<number, string> = {
  [-1]: 'None',
  1: 'NodeCreated',
  2: 'NodeDeleted',
  3: 'NodeDataChanged',
  4: 'NodeChildrenChanged',
  5: 'DataWatchRemoved',
  6: 'ChildWatchRemoved',
  7: 'PersistentWatchRemoved',
};
export function eventName(type: number): string {
  return EVENT_NAMES[type] ?? `EventType(${type})`;
}
