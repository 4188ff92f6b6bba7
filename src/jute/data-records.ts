// org.apache.zookeeper.data records: Id, ACL, Stat, ClientInfo.
import type { ACL, Id, Stat } from '../zk/types';
import type { JuteReader, JuteWriter, RecordCodec } from './jute-io';

export interface ClientInfo {
  authScheme: string;
  user: string;
}

export const IdCodec: RecordCodec<Id> = {
  write(w, v) {
    w.ustring(v.scheme).ustring(v.id);
  },
  read(r) {
    return { scheme: r.ustring(), id: r.ustring() };
  },
};

export const AclCodec: RecordCodec<ACL> = {
  write(w, v) {
    w.int(v.perms);
    IdCodec.write(w, v.id);
  },
  read(r) {
    const perms = r.int();
    return { perms, id: IdCodec.read(r) };
  },
};

export const StatCodec: RecordCodec<Stat> = {
  write(w, s) {
    w.long(s.czxid).long(s.mzxid).long(s.ctime).long(s.mtime);
    w.int(s.version).int(s.cversion).int(s.aversion);
    w.long(s.ephemeralOwner).int(s.dataLength).int(s.numChildren).long(s.pzxid);
  },
  read(r) {
    return {
      czxid: r.long(),
      mzxid: r.long(),
      ctime: r.long(),
      mtime: r.long(),
      version: r.int(),
      cversion: r.int(),
      aversion: r.int(),
      ephemeralOwner: r.long(),
      dataLength: r.int(),
      numChildren: r.int(),
      pzxid: r.long(),
    };
  },
};

export const ClientInfoCodec: RecordCodec<ClientInfo> = {
  write(w, v) {
    w.ustring(v.authScheme).ustring(v.user);
  },
  read(r) {
    return { authScheme: r.ustring(), user: r.ustring() };
  },
};

/** vector<ACL>; null reads as []. */
export function writeAclList(w: JuteWriter, acl: readonly ACL[]): void {
  w.vector(acl, AclCodec.write);
}
export function readAclList(r: JuteReader): ACL[] {
  return r.vector(AclCodec.read);
}

/** vector<ustring>; null reads as []. */
export function writeStringList(w: JuteWriter, items: readonly string[]): void {
  w.vector(items, (ww, s) => ww.ustring(s));
}
export function readStringList(r: JuteReader): string[] {
  return r.vector((rr) => rr.ustring());
}
