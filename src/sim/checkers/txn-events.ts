// Which watch events a committed txn can raise, as "type path" keys: create -> NodeCreated on the
// path and NodeChildrenChanged on its parent; delete -> NodeDeleted and the parent's
// NodeChildrenChanged; setData -> NodeDataChanged; closeSession -> the deletes of the ephemerals it names (3.9 txns list them);
// multi -> the union of its parts.
import { OpCode } from '../../jute/opcodes';
import type { Txn, TxnBody } from '../../zk/txn';
import { EventType } from '../../zk/types';

export function eventKey(type: number, path: string): string {
  return `${type} ${path}`;
}

export function txnEventKeys(txn: Txn): Set<string> {
  const keys = new Set<string>();
  addBody(txn.body, keys);
  return keys;
}

function addBody(body: TxnBody, keys: Set<string>): void {
  switch (body.type) {
    case OpCode.create:
    case OpCode.createContainer:
    case OpCode.createTTL:
      keys.add(eventKey(EventType.NodeCreated, body.path));
      keys.add(eventKey(EventType.NodeChildrenChanged, parentOf(body.path)));
      return;
    case OpCode.delete:
    case OpCode.deleteContainer:
      addDelete(body.path, keys);
      return;
    case OpCode.setData:
      keys.add(eventKey(EventType.NodeDataChanged, body.path));
      return;
    case OpCode.closeSession:
      for (const path of body.paths2Delete) addDelete(path, keys);
      return;
    case OpCode.multi:
      for (const part of body.txns) addBody(part, keys);
      return;
    default:
      return;
  }
}

function addDelete(path: string, keys: Set<string>): void {
  keys.add(eventKey(EventType.NodeDeleted, path));
  keys.add(eventKey(EventType.NodeChildrenChanged, parentOf(path)));
}

export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.substring(0, slash);
}

/** Event types a registration of this kind may deliver. */
export function allowedEvents(kind: 'data' | 'exists' | 'child'): readonly EventType[] {
  switch (kind) {
    case 'data':
      return [EventType.NodeDataChanged, EventType.NodeDeleted];
    case 'exists':
      return [EventType.NodeCreated];
    case 'child':
      return [EventType.NodeChildrenChanged, EventType.NodeDeleted];
  }
}

export function keyMatches(keys: ReadonlySet<string>, type: number, path: string): boolean {
  return keys.has(eventKey(type, path));
}
