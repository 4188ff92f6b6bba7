// PathUtils.validatePath with the Java client's messages; zkCli prints them for bad paths.
import { IllegalArgumentException } from './java-text';

function isInvalidChar(c: number): boolean {
  return (
    (c > 0x00 && c <= 0x1f) || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || (c >= 0xfff0 && c <= 0xffff)
  );
}

// Walks UTF-16 code units as Java's char[] loop does, so the reported index matches.
function badCharacterReason(path: string): string | null {
  for (let i = 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    const last = path.charCodeAt(i - 1);
    const endsName = i + 1 === path.length || path.charAt(i + 1) === '/';
    if (c === 0) return `null character not allowed @${i}`;
    if (c === 0x2f && last === 0x2f) return `empty node name specified @${i}`;
    if (c === 0x2e && last === 0x2e) {
      if (path.charAt(i - 2) === '/' && endsName) return `relative paths not allowed @${i}`;
    } else if (c === 0x2e) {
      if (last === 0x2f && endsName) return `relative paths not allowed @${i}`;
    } else if (isInvalidChar(c)) {
      return `invalid character @${i}`;
    }
  }
  return null;
}

/** Throws IllegalArgumentException as PathUtils.validatePath(path, isSequential) does. */
export function validatePath(path: string, isSequential = false): void {
  const checked = isSequential ? `${path}1` : path;
  if (checked.length === 0) throw new IllegalArgumentException('Path length must be > 0');
  if (checked.charAt(0) !== '/') throw new IllegalArgumentException('Path must start with / character');
  if (checked.length === 1) return;
  if (checked.endsWith('/')) throw new IllegalArgumentException('Path must not end with / character');
  const reason = badCharacterReason(checked);
  if (reason !== null) throw new IllegalArgumentException(`Invalid path string "${checked}" caused by ${reason}`);
}
