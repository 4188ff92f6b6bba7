// Java library behaviour that zkCli's output depends on: number parsing (with Java's exception
// messages), String.split's trailing-empty rule and List.toString.

/** A Java exception zkCli does not catch; the real shell dies with "Exception in thread "main" ...". */
export class JavaException extends Error {
  readonly javaClass: string;
  constructor(javaClass: string, message: string) {
    super(message);
    this.name = 'JavaException';
    this.javaClass = javaClass;
  }
  /** Throwable.toString(): class name, then ": message". */
  override toString(): string {
    return `${this.javaClass}: ${this.message}`;
  }
}

export class NumberFormatException extends JavaException {
  constructor(message: string) {
    super('java.lang.NumberFormatException', message);
  }
  static forInputString(s: string, radix = 10): NumberFormatException {
    return new NumberFormatException(`For input string: "${s}"${radix === 10 ? '' : ` under radix ${radix}`}`);
  }
}

export class IllegalArgumentException extends JavaException {
  constructor(message: string) {
    super('java.lang.IllegalArgumentException', message);
  }
}

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function digitPattern(radix: number): RegExp {
  if (radix === 10) return /^[+-]?[0-9]+$/;
  if (radix === 16) return /^[+-]?[0-9a-fA-F]+$/;
  if (radix === 8) return /^[+-]?[0-7]+$/;
  throw new Error(`unsupported radix ${radix}`);
}

function parseBounded(s: string, radix: number, min: bigint, max: bigint): bigint {
  if (!digitPattern(radix).test(s)) throw NumberFormatException.forInputString(s, radix);
  const negative = s.startsWith('-');
  const digits = s.replace(/^[+-]/, '');
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : '';
  const magnitude = BigInt(prefix + digits);
  const value = negative ? -magnitude : magnitude;
  if (value < min || value > max) throw NumberFormatException.forInputString(s, radix);
  return value;
}

/** Integer.parseInt(s, radix). */
export function parseJavaInt(s: string, radix = 10): number {
  return Number(parseBounded(s, radix, INT_MIN, INT_MAX));
}

/** Long.parseLong(s, radix). */
export function parseJavaLong(s: string, radix = 10): bigint {
  return parseBounded(s, radix, LONG_MIN, LONG_MAX);
}

/** Integer.decode(s): optional sign, then 0x/0X/# (hex), 0 (octal) or decimal. */
export function decodeJavaInt(s: string): number {
  if (s.length === 0) throw new NumberFormatException('Zero length string');
  let index = 0;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    index = 1;
  }
  let radix = 10;
  if (s.startsWith('0x', index) || s.startsWith('0X', index)) {
    radix = 16;
    index += 2;
  } else if (s.startsWith('#', index)) {
    radix = 16;
    index += 1;
  } else if (s.startsWith('0', index) && s.length > 1 + index) {
    radix = 8;
    index += 1;
  }
  const rest = s.slice(index);
  if (rest.startsWith('-') || rest.startsWith('+')) throw new NumberFormatException('Sign character in wrong position');
  // Java parses the magnitude first and retries with the sign for Integer.MIN_VALUE.
  try {
    const magnitude = parseJavaInt(rest, radix);
    return negative ? -magnitude : magnitude;
  } catch {
    return parseJavaInt(negative ? `-${rest}` : rest, radix);
  }
}

const JAVA_DOUBLE =
  /^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)|(0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+[fFdD]?))$/;

/** Whether Double.parseDouble(s) succeeds (it trims ASCII control characters and spaces first). */
export function isJavaDouble(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return JAVA_DOUBLE.test(s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, ''));
}

/** String.split(literal) for a single-character separator: trailing empty strings are dropped. */
export function javaSplit(s: string, separator: string): string[] {
  if (!s.includes(separator)) return [s];
  const parts = s.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** AbstractCollection.toString(): "[a, b]". */
export function javaListString(items: readonly unknown[]): string {
  return `[${items.map(String).join(', ')}]`;
}

/** Java String.compareTo order (UTF-16 code units), as Collections.sort uses. */
export function javaCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
