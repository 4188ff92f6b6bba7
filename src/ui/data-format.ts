// How the inspector shows znode data: as text (JSON pretty-printed when it parses) and as a hex dump.
// Everything here returns plain strings; React puts them in text nodes, never in HTML.

export const TEXT_CHARS_MAX = 64 * 1024;
export const HEX_BYTES_MAX = 4096;
const HEX_BYTES_PER_LINE = 16;

export interface DataText {
  kind: 'empty' | 'json' | 'text' | 'binary';
  text: string;
  truncated: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Control characters other than tab, newline and carriage return suggest binary data. */
function looksBinary(text: string): boolean {
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) controls++;
  }
  return controls > 0 && controls * 10 > text.length;
}

export function dataAsText(data: Uint8Array | null): DataText {
  if (data === null || data.length === 0) return { kind: 'empty', text: '', truncated: false };
  const full = decoder.decode(data);
  const truncated = full.length > TEXT_CHARS_MAX;
  const text = truncated ? full.slice(0, TEXT_CHARS_MAX) : full;
  if (!truncated) {
    const json = prettyJson(full);
    if (json !== null) return { kind: 'json', text: json, truncated: false };
  }
  return { kind: looksBinary(text) ? 'binary' : 'text', text, truncated };
}

/** Pretty JSON for objects and arrays; bare numbers and strings stay as typed. */
export function prettyJson(text: string): string | null {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return null;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return null;
  }
}

/** `00000000  68 65 6c 6c 6f 20 77 6f  72 6c 64                 |hello world|` */
export function hexDump(data: Uint8Array | null): { lines: string[]; truncated: boolean } {
  if (data === null) return { lines: [], truncated: false };
  const shown = Math.min(data.length, HEX_BYTES_MAX);
  const lines: string[] = [];
  for (let offset = 0; offset < shown; offset += HEX_BYTES_PER_LINE) {
    const row = data.subarray(offset, Math.min(offset + HEX_BYTES_PER_LINE, shown));
    let hex = '';
    let ascii = '';
    for (let i = 0; i < HEX_BYTES_PER_LINE; i++) {
      const byte = row[i];
      hex += byte === undefined ? '   ' : byte.toString(16).padStart(2, '0') + ' ';
      if (i === 7) hex += ' ';
      if (byte !== undefined) ascii += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
    }
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex} |${ascii}|`);
  }
  return { lines, truncated: data.length > shown };
}
