export type {
  WriteRequest,
  CreateRequest,
  DeleteRequest,
  DeleteContainerRequest,
  SetDataRequest,
  SetAclRequest,
  CheckVersionRequest,
  MultiOp,
  MultiRequest,
  CreateSessionRequest,
  CloseSessionRequest,
} from './requests';
export { requestPath } from './requests';
export { createModeFromFlag, sequenceSuffix, type CreateModeInfo } from './create-mode';
export type { ChangeRecord } from './change-record';
export { OutstandingChanges } from './outstanding-changes';
export type { PrepContext, SessionCheckKind } from './prep-context';
export { prep, type PrepInput, type PrepResult } from './prep';
export { apply } from './apply';
export type { ApplyResult, OpApplyResult } from './apply-result';
export {
  containerCandidates,
  deleteContainerRequest,
  type ContainerCandidateOptions,
} from './container-candidates';
