// KeeperException.Code values and names, exactly as Apache ZooKeeper 3.8/3.9.

export enum Code {
  OK = 0,
  SystemError = -1,
  RuntimeInconsistency = -2,
  DataInconsistency = -3,
  ConnectionLoss = -4,
  MarshallingError = -5,
  Unimplemented = -6,
  OperationTimeout = -7,
  BadArguments = -8,
  UnknownSession = -12,
  NewConfigNoQuorum = -13,
  ReconfigInProgress = -14,
  APIError = -100,
  NoNode = -101,
  NoAuth = -102,
  BadVersion = -103,
  NoChildrenForEphemerals = -108,
  NodeExists = -110,
  NotEmpty = -111,
  SessionExpired = -112,
  InvalidCallback = -113,
  InvalidACL = -114,
  AuthFailed = -115,
  SessionMoved = -118,
  NotReadOnly = -119,
  EphemeralOnLocalSession = -120,
  NoWatcher = -121,
  RequestTimeout = -122,
  ReconfigDisabled = -123,
  SessionClosedRequireSasl = -124,
  QuotaExceeded = -125,
  Throttled = -127,
}

/** The upper-case names KeeperException.Code uses (e.g. NONODE), as in `Code.NONODE`. */
export function codeName(code: number): string {
  const name = Code[code];
  return name === undefined ? `UNKNOWN(${code})` : name.toUpperCase();
}

/** The message KeeperException.getMessage() prints, e.g. "KeeperErrorCode = NoNode for /a". */
const MESSAGES: Partial<Record<Code, string>> = {
  [Code.OK]: 'ok',
  [Code.SystemError]: 'SystemError',
  [Code.RuntimeInconsistency]: 'RuntimeInconsistency',
  [Code.DataInconsistency]: 'DataInconsistency',
  [Code.ConnectionLoss]: 'ConnectionLoss',
  [Code.MarshallingError]: 'MarshallingError',
  [Code.Unimplemented]: 'Unimplemented',
  [Code.OperationTimeout]: 'OperationTimeout',
  [Code.BadArguments]: 'BadArguments',
  [Code.UnknownSession]: 'Unknown session',
  [Code.NewConfigNoQuorum]: 'NewConfigNoQuorum',
  [Code.ReconfigInProgress]: 'ReconfigInProgress',
  [Code.APIError]: 'APIError',
  [Code.NoNode]: 'NoNode',
  [Code.NoAuth]: 'NoAuth',
  [Code.BadVersion]: 'BadVersion',
  [Code.NoChildrenForEphemerals]: 'NoChildrenForEphemerals',
  [Code.NodeExists]: 'NodeExists',
  [Code.NotEmpty]: 'Directory not empty',
  [Code.SessionExpired]: 'Session expired',
  [Code.InvalidCallback]: 'Invalid callback',
  [Code.InvalidACL]: 'InvalidACL',
  [Code.AuthFailed]: 'AuthFailed',
  [Code.SessionMoved]: 'Session moved',
  [Code.NotReadOnly]: 'Not a read-only call',
  [Code.EphemeralOnLocalSession]: 'Ephemeral node on local session',
  [Code.NoWatcher]: 'No such watcher',
  [Code.RequestTimeout]: 'Request timeout',
  [Code.ReconfigDisabled]: 'Reconfig is disabled',
  [Code.SessionClosedRequireSasl]: 'Session closed because client failed to authenticate',
  [Code.QuotaExceeded]: 'Quota has exceeded',
  [Code.Throttled]: 'Op throttled due to high load',
};

export function codeMessage(code: number): string {
  return MESSAGES[code as Code] ?? `Unknown error ${code}`;
}

/** KeeperException: thrown by the client library; `code` is the numeric Code. */
export class KeeperException extends Error {
  readonly code: Code;
  readonly path: string | undefined;
  constructor(code: Code, path?: string) {
    super(`KeeperErrorCode = ${codeMessage(code)}${path === undefined ? '' : ` for ${path}`}`);
    this.name = 'KeeperException';
    this.code = code;
    this.path = path;
  }
  get codeName(): string {
    return codeName(this.code);
  }
}
