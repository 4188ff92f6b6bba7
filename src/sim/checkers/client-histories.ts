// Client histories are linearizable: the recorded data operations (writes, sync+getData, and plain
// getData where the model says plain reads are linearizable, i.e. one server) are checked with the
// WGL checker against the ZooKeeper register model, one partition per path.
import { checkLinearizability, type CheckResult } from './linearizability';
import { zkRegisterModel, type ZkOperation } from './zk-register-model';
import type { ViolationLog } from './violation';

const NAME = 'linearizable';

export interface LinearizabilityReport {
  result: CheckResult;
  /** Set when the search ran out of budget: not a violation, but the run proved nothing here. */
  unknown: string | null;
}

export function checkClientHistories(
  violations: ViolationLog,
  operations: readonly ZkOperation[],
  plainReads: 'check' | 'ignore',
  atMs: number,
  budget: { maxSteps?: number; maxStates?: number } = {},
): LinearizabilityReport {
  const result = checkLinearizability(zkRegisterModel({ plainReads }), operations, budget);
  if (result.ok === false) violations.add(NAME, atMs, result.counterexample.text);
  return { result, unknown: result.ok === 'unknown' ? result.reason : null };
}
