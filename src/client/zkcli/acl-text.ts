// ACL text both ways: AclParser.parse ("scheme:id:perms,...", complaints to stderr) and the
// getAcl rendering (jute Id.toString() = "'scheme,'id" + newline, then ": perms").
import { Perms, type ACL } from '../../zk/types';
import { javaSplit } from './java-text';

const PERM_LETTERS: ReadonlyArray<readonly [string, number]> = [
  ['r', Perms.READ],
  ['w', Perms.WRITE],
  ['c', Perms.CREATE],
  ['d', Perms.DELETE],
  ['a', Perms.ADMIN],
];

function permsFromString(text: string, complain: (line: string) => void): number {
  let perms = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    const entry = PERM_LETTERS.find(([letter]) => letter === ch);
    if (entry === undefined) complain(`Unknown perm type: ${ch}`);
    else perms |= entry[1];
  }
  return perms;
}

/** AclParser.parse: malformed entries are reported and skipped, so the result may be empty. */
export function parseAcl(text: string, complain: (line: string) => void): ACL[] {
  const acl: ACL[] = [];
  for (const entry of javaSplit(text, ',')) {
    const first = entry.indexOf(':');
    const last = entry.lastIndexOf(':');
    if (first === -1 || first === last) {
      complain(`${entry} does not have the form scheme:id:perm`);
      continue;
    }
    const perms = permsFromString(entry.slice(last + 1), complain);
    acl.push({ perms, id: { scheme: entry.slice(0, first), id: entry.slice(first + 1, last) } });
  }
  return acl;
}

/** ZKUtil.getPermString: letters in the order c, d, r, w, a. */
export function permString(perms: number): string {
  let s = '';
  if (perms & Perms.CREATE) s += 'c';
  if (perms & Perms.DELETE) s += 'd';
  if (perms & Perms.READ) s += 'r';
  if (perms & Perms.WRITE) s += 'w';
  if (perms & Perms.ADMIN) s += 'a';
  return s;
}

/** ToStringOutputArchive's string escaping. */
function juteString(s: string): string {
  let out = "'";
  for (const ch of s) {
    if (ch === '\0') out += '%00';
    else if (ch === '\n') out += '%0A';
    else if (ch === '\r') out += '%0D';
    else if (ch === ',') out += '%2C';
    else if (ch === '}') out += '%7D';
    else if (ch === '%') out += '%25';
    else out += ch;
  }
  return out;
}

/** The two lines getAcl prints for one ACL entry. */
export function aclEntryLines(acl: ACL): [string, string] {
  return [`${juteString(acl.id.scheme)},${juteString(acl.id.id)}`, `: ${permString(acl.perms)}`];
}
