// Per-operation response records (org.apache.zookeeper.proto *Response).
import type { ACL, Stat } from '../zk/types';
import type { RecordCodec } from './jute-io';
import { ClientInfoCodec, StatCodec, readAclList, readStringList, writeAclList, writeStringList } from './data-records';
import type { ClientInfo } from './data-records';

export interface CreateResponse {
  path: string;
}
export interface Create2Response {
  path: string;
  stat: Stat;
}
/** ExistsResponse, SetDataResponse, SetACLResponse (and check's reply) all carry one Stat. */
export interface StatResponse {
  stat: Stat;
}
/** `data` null (a node created or set with null data) goes on the wire as length -1. */
export interface GetDataResponse {
  data: Uint8Array | null;
  stat: Stat;
}
export interface GetACLResponse {
  acl: ACL[];
  stat: Stat;
}
export interface GetChildrenResponse {
  children: string[];
}
export interface GetChildren2Response {
  children: string[];
  stat: Stat;
}
export interface SyncResponse {
  path: string;
}
export interface GetAllChildrenNumberResponse {
  totalNumber: number;
}
export interface GetEphemeralsResponse {
  ephemerals: string[];
}
export interface WhoAmIResponse {
  clientInfo: ClientInfo[];
}
/** Body of addWatch's reply (err 0) and of multi error results. */
export interface ErrorResponse {
  err: number;
}

export const CreateResponseCodec: RecordCodec<CreateResponse> = {
  write(w, v) {
    w.ustring(v.path);
  },
  read(r) {
    return { path: r.ustring() };
  },
};

export const Create2ResponseCodec: RecordCodec<Create2Response> = {
  write(w, v) {
    w.ustring(v.path);
    StatCodec.write(w, v.stat);
  },
  read(r) {
    const path = r.ustring();
    return { path, stat: StatCodec.read(r) };
  },
};

export const StatResponseCodec: RecordCodec<StatResponse> = {
  write(w, v) {
    StatCodec.write(w, v.stat);
  },
  read(r) {
    return { stat: StatCodec.read(r) };
  },
};

export const GetDataResponseCodec: RecordCodec<GetDataResponse> = {
  write(w, v) {
    w.buffer(v.data);
    StatCodec.write(w, v.stat);
  },
  read(r) {
    const data = r.bufferOrNull();
    return { data, stat: StatCodec.read(r) };
  },
};

export const GetACLResponseCodec: RecordCodec<GetACLResponse> = {
  write(w, v) {
    writeAclList(w, v.acl);
    StatCodec.write(w, v.stat);
  },
  read(r) {
    const acl = readAclList(r);
    return { acl, stat: StatCodec.read(r) };
  },
};

export const GetChildrenResponseCodec: RecordCodec<GetChildrenResponse> = {
  write(w, v) {
    writeStringList(w, v.children);
  },
  read(r) {
    return { children: readStringList(r) };
  },
};

export const GetChildren2ResponseCodec: RecordCodec<GetChildren2Response> = {
  write(w, v) {
    writeStringList(w, v.children);
    StatCodec.write(w, v.stat);
  },
  read(r) {
    const children = readStringList(r);
    return { children, stat: StatCodec.read(r) };
  },
};

export const SyncResponseCodec: RecordCodec<SyncResponse> = CreateResponseCodec;

export const GetAllChildrenNumberResponseCodec: RecordCodec<GetAllChildrenNumberResponse> = {
  write(w, v) {
    w.int(v.totalNumber);
  },
  read(r) {
    return { totalNumber: r.int() };
  },
};

export const GetEphemeralsResponseCodec: RecordCodec<GetEphemeralsResponse> = {
  write(w, v) {
    writeStringList(w, v.ephemerals);
  },
  read(r) {
    return { ephemerals: readStringList(r) };
  },
};

export const WhoAmIResponseCodec: RecordCodec<WhoAmIResponse> = {
  write(w, v) {
    w.vector(v.clientInfo, ClientInfoCodec.write);
  },
  read(r) {
    return { clientInfo: r.vector(ClientInfoCodec.read) };
  },
};

export const ErrorResponseCodec: RecordCodec<ErrorResponse> = {
  write(w, v) {
    w.int(v.err);
  },
  read(r) {
    return { err: r.int() };
  },
};

// Apache's record names (same layouts as above).
export type ExistsResponse = StatResponse;
export type SetDataResponse = StatResponse;
export type SetACLResponse = StatResponse;
