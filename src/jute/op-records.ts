// Per-operation request records (org.apache.zookeeper.proto *Request).
import type { ACL, AddWatchMode, WatcherType } from '../zk/types';
import type { RecordCodec } from './jute-io';
import { readAclList, writeAclList } from './data-records';

/**
 * create, create2, createContainer (CreateRequest). `flags` is a CreateMode flag. `data` null is a
 * Java null byte[] (length -1); the server stores it as null, apart from empty data.
 */
export interface CreateRequest {
  path: string;
  data: Uint8Array | null;
  acl: ACL[];
  flags: number;
}

export interface CreateTTLRequest extends CreateRequest {
  ttlMs: bigint;
}

export interface DeleteRequest {
  path: string;
  version: number;
}

/** exists, getData, getChildren, getChildren2: path + whether to leave a watch. */
export interface PathWatchRequest {
  path: string;
  watch: boolean;
}

/** getACL, sync, getAllChildrenNumber: just a path. */
export interface PathRequest {
  path: string;
}

/** `data` null (length -1) replaces the node's data with null, as Apache does. */
export interface SetDataRequest {
  path: string;
  data: Uint8Array | null;
  version: number;
}

export interface SetACLRequest {
  path: string;
  acl: ACL[];
  version: number;
}

export interface CheckVersionRequest {
  path: string;
  version: number;
}

/** checkWatches and removeWatches. */
export interface WatchesRequest {
  path: string;
  type: WatcherType;
}

export interface AddWatchRequest {
  path: string;
  mode: AddWatchMode;
}

export interface GetEphemeralsRequest {
  prefixPath: string;
}

/** null members mean "not given" (the Java client sends null for unused lists). */
export interface ReconfigRequest {
  joiningServers: string | null;
  leavingServers: string | null;
  newMembers: string | null;
  curConfigId: bigint;
}

export const CreateRequestCodec: RecordCodec<CreateRequest> = {
  write(w, v) {
    w.ustring(v.path).buffer(v.data);
    writeAclList(w, v.acl);
    w.int(v.flags);
  },
  read(r) {
    return { path: r.ustring(), data: r.bufferOrNull(), acl: readAclList(r), flags: r.int() };
  },
};

export const CreateTTLRequestCodec: RecordCodec<CreateTTLRequest> = {
  write(w, v) {
    CreateRequestCodec.write(w, v);
    w.long(v.ttlMs);
  },
  read(r) {
    const base = CreateRequestCodec.read(r);
    return { ...base, ttlMs: r.long() };
  },
};

export const DeleteRequestCodec: RecordCodec<DeleteRequest> = {
  write(w, v) {
    w.ustring(v.path).int(v.version);
  },
  read(r) {
    return { path: r.ustring(), version: r.int() };
  },
};

export const PathWatchRequestCodec: RecordCodec<PathWatchRequest> = {
  write(w, v) {
    w.ustring(v.path).bool(v.watch);
  },
  read(r) {
    return { path: r.ustring(), watch: r.bool() };
  },
};

export const PathRequestCodec: RecordCodec<PathRequest> = {
  write(w, v) {
    w.ustring(v.path);
  },
  read(r) {
    return { path: r.ustring() };
  },
};

export const SetDataRequestCodec: RecordCodec<SetDataRequest> = {
  write(w, v) {
    w.ustring(v.path).buffer(v.data).int(v.version);
  },
  read(r) {
    return { path: r.ustring(), data: r.bufferOrNull(), version: r.int() };
  },
};

export const SetACLRequestCodec: RecordCodec<SetACLRequest> = {
  write(w, v) {
    w.ustring(v.path);
    writeAclList(w, v.acl);
    w.int(v.version);
  },
  read(r) {
    return { path: r.ustring(), acl: readAclList(r), version: r.int() };
  },
};

/** CheckVersionRequest has DeleteRequest's layout. */
export const CheckVersionRequestCodec: RecordCodec<CheckVersionRequest> = DeleteRequestCodec;

export const WatchesRequestCodec: RecordCodec<WatchesRequest> = {
  write(w, v) {
    w.ustring(v.path).int(v.type);
  },
  read(r) {
    return { path: r.ustring(), type: r.int() as WatcherType };
  },
};

export const AddWatchRequestCodec: RecordCodec<AddWatchRequest> = {
  write(w, v) {
    w.ustring(v.path).int(v.mode);
  },
  read(r) {
    return { path: r.ustring(), mode: r.int() as AddWatchMode };
  },
};

export const GetEphemeralsRequestCodec: RecordCodec<GetEphemeralsRequest> = {
  write(w, v) {
    w.ustring(v.prefixPath);
  },
  read(r) {
    return { prefixPath: r.ustring() };
  },
};

export const ReconfigRequestCodec: RecordCodec<ReconfigRequest> = {
  write(w, v) {
    w.ustring(v.joiningServers).ustring(v.leavingServers).ustring(v.newMembers).long(v.curConfigId);
  },
  read(r) {
    return {
      joiningServers: r.ustringOrNull(),
      leavingServers: r.ustringOrNull(),
      newMembers: r.ustringOrNull(),
      curConfigId: r.long(),
    };
  },
};

// Apache's record names, for readers coming from zookeeper.jute (same layouts as above).
export type ExistsRequest = PathWatchRequest;
export type GetDataRequest = PathWatchRequest;
export type GetChildrenRequest = PathWatchRequest;
export type GetChildren2Request = PathWatchRequest;
export type GetACLRequest = PathRequest;
export type SyncRequest = PathRequest;
export type GetAllChildrenNumberRequest = PathRequest;
export type CheckWatchesRequest = WatchesRequest;
export type RemoveWatchesRequest = WatchesRequest;

/** ZooDefs.CONFIG_NODE. The Java client's getConfig is a plain getData (op 4) of this path. */
export const CONFIG_NODE = '/zookeeper/config';
