// Znode path rules and messages of Apache's PathUtils.validatePath. The checks walk UTF-16 code
// units, as Java's char[] does, so surrogates are rejected exactly where Java rejects them.

/** Returns null for a valid path, else the message PathUtils' IllegalArgumentException carries. */
export function validatePath(path: string | null | undefined, isSequential = false): string | null {
  if (path === null || path === undefined) return 'Path cannot be null';
  // A sequential create appends a counter, so a trailing '/' in the prefix is fine there.
  return validateFullPath(isSequential ? path + '1' : path);
}

function validateFullPath(path: string): string | null {
  if (path.length === 0) return 'Path length must be > 0';
  if (path.charCodeAt(0) !== SLASH) return 'Path must start with / character';
  if (path.length === 1) return null; // the root
  if (path.charCodeAt(path.length - 1) === SLASH) return 'Path must not end with / character';
  const reason = firstInvalidChar(path);
  return reason === null ? null : `Invalid path string "${path}" caused by ${reason}`;
}

const SLASH = 0x2f;
const DOT = 0x2e;

function firstInvalidChar(path: string): string | null {
  let last = SLASH;
  for (let i = 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    const reason = charProblem(path, i, c, last);
    if (reason !== null) return reason;
    last = c;
  }
  return null;
}

function charProblem(path: string, i: number, c: number, last: number): string | null {
  if (c === 0) return `null character not allowed @${i}`;
  if (c === SLASH && last === SLASH) return `empty node name specified @${i}`;
  const endsComponent = i + 1 === path.length || path.charCodeAt(i + 1) === SLASH;
  if (c === DOT && last === DOT) {
    return path.charCodeAt(i - 2) === SLASH && endsComponent ? `relative paths not allowed @${i}` : null;
  }
  if (c === DOT) {
    return last === SLASH && endsComponent ? `relative paths not allowed @${i}` : null;
  }
  if (isForbiddenChar(c)) return `invalid character @${i}`;
  return null;
}

function isForbiddenChar(c: number): boolean {
  return (
    (c > 0x0000 && c <= 0x001f) ||
    (c >= 0x007f && c <= 0x009f) ||
    (c >= 0xd800 && c <= 0xf8ff) ||
    (c >= 0xfff0 && c <= 0xffff)
  );
}

/** Parent of an absolute path as DataTree splits it: "/a" -> "", "/a/b" -> "/a". */
export function parentOf(path: string): string {
  return path.substring(0, path.lastIndexOf('/'));
}

/** Last component: "/a/b" -> "b". */
export function childNameOf(path: string): string {
  return path.substring(path.lastIndexOf('/') + 1);
}

/** DataTree keys the root as "" internally; watches and replies name it "/". */
export function displayPath(path: string): string {
  return path === '' ? '/' : path;
}
