// multi() failure: KeeperException carrying every op's result (Java's KeeperException.getResults()).
import { KeeperException, type Code } from '../zk/errors';
import type { OpResult } from './api';

export class MultiKeeperException extends KeeperException {
  /** One entry per op: the failing op and the rolled-back ones as { type: 'error', err }. */
  readonly results: OpResult[];
  constructor(code: Code, results: OpResult[]) {
    super(code);
    this.name = 'KeeperException';
    this.results = results;
  }
}
