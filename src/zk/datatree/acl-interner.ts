// Shares one frozen array per distinct ACL list, as ReferenceCountedACLCache shares one id per
// list. Equal lists compare by perms and id, in order.
import type { ACL } from '../types';

const MAX_DISTINCT_LISTS = 1_000_000;

export class AclInterner {
  private readonly lists = new Map<string, readonly ACL[]>();

  intern(acl: readonly ACL[]): readonly ACL[] {
    const key = aclKey(acl);
    const known = this.lists.get(key);
    if (known !== undefined) return known;
    if (this.lists.size >= MAX_DISTINCT_LISTS) this.lists.clear(); // sharing is an optimisation only
    const frozen = Object.freeze(acl.map((a) => Object.freeze({ perms: a.perms, id: Object.freeze({ ...a.id }) })));
    this.lists.set(key, frozen);
    return frozen;
  }

  get size(): number {
    return this.lists.size;
  }
}

export function aclKey(acl: readonly ACL[]): string {
  return JSON.stringify(acl.map((a) => [a.perms, a.id.scheme, a.id.id]));
}
