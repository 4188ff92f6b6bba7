// Client-side znode path validation with the Java client's messages (PathUtils.validatePath).
// A bad path never reaches the wire: the call fails before a request is queued.

/** The Java client's IllegalArgumentException: bad arguments detected before anything is sent. */
export class IllegalArgumentException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IllegalArgumentException';
  }
}

/** Why `path` is not a valid znode path, or null when it is valid. */
export function pathProblem(path: string): string | null {
  if (typeof path !== 'string') return 'Path cannot be null';
  if (path.length === 0) return 'Path length must be > 0';
  if (path.charAt(0) !== '/') return 'Path must start with / character';
  if (path.length === 1) return null;
  if (path.charAt(path.length - 1) === '/') return 'Path must not end with / character';
  const reason = firstBadCharacter(path);
  return reason === null ? null : `Invalid path string "${path}" caused by ${reason}`;
}

// Walks the UTF-16 code units as Java's char[] loop does, so the reported index matches.
function firstBadCharacter(path: string): string | null {
  for (let i = 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    const last = path.charCodeAt(i - 1);
    const endsComponent = i + 1 === path.length || path.charAt(i + 1) === '/';
    if (c === 0) return `null character not allowed @${i}`;
    if (c === 0x2f && last === 0x2f) return `empty node name specified @${i}`;
    if (c === 0x2e && last === 0x2e) {
      if (path.charAt(i - 2) === '/' && endsComponent) return `relative paths not allowed @${i}`;
    } else if (c === 0x2e) {
      if (last === 0x2f && endsComponent) return `relative paths not allowed @${i}`;
    } else if (isForbiddenCodeUnit(c)) {
      return `invalid character @${i}`;
    }
  }
  return null;
}

function isForbiddenCodeUnit(c: number): boolean {
  return (
    (c > 0x0000 && c <= 0x001f) ||
    (c >= 0x007f && c <= 0x009f) ||
    (c >= 0xd800 && c <= 0xf8ff) ||
    (c >= 0xfff0 && c <= 0xffff)
  );
}

/** Throws IllegalArgumentException for an invalid path; `isSequential` validates path + "1" as Java does. */
export function validatePath(path: string, isSequential = false): void {
  const checked = isSequential && typeof path === 'string' ? path + '1' : path;
  const problem = pathProblem(checked);
  if (problem !== null) throw new IllegalArgumentException(problem);
}
