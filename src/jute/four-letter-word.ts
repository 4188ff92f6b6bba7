// Four-letter-word admin commands. The server reads a connection's first 4 bytes as the frame
// length; if that int equals a known command's ASCII bytes, the connection is a 4lw command.

export const FOUR_LETTER_WORDS = [
  'ruok', 'stat', 'srvr', 'conf', 'cons', 'dump', 'envi', 'mntr', 'wchs', 'wchc', 'wchp',
  'isro', 'crst', 'srst', 'dirs', 'gtmk', 'stmk', 'hash',
] as const;

export type FourLetterWord = (typeof FOUR_LETTER_WORDS)[number];

/** stmk is followed by an 8-byte big-endian trace mask. */
export const STMK_ARGUMENT_BYTES = 8;

/** Telnet's "interrupt process" (IAC IP IAC DO): Apache treats it as a command that closes. */
export const TELNET_CLOSE_INT = 0xfff4fffd | 0;

function wordToInt(word: string): number {
  return ((word.charCodeAt(0) << 24) | (word.charCodeAt(1) << 16) | (word.charCodeAt(2) << 8) | word.charCodeAt(3)) | 0;
}

const WORD_BY_INT = new Map<number, FourLetterWord>(FOUR_LETTER_WORDS.map((w) => [wordToInt(w), w]));

/** The command whose ASCII bytes equal this length field, or null. */
export function fourLetterWordFromInt(lengthField: number): FourLetterWord | null {
  return WORD_BY_INT.get(lengthField | 0) ?? null;
}

/** The command in a connection's first 4 bytes, or null (also null when fewer than 4 bytes). */
export function fourLetterWord(first4Bytes: Uint8Array): FourLetterWord | null {
  if (first4Bytes.length < 4) return null;
  const view = new DataView(first4Bytes.buffer, first4Bytes.byteOffset, 4);
  return fourLetterWordFromInt(view.getInt32(0));
}

/** The int a command's 4 bytes read as (e.g. for building test input). */
export function fourLetterWordInt(word: FourLetterWord): number {
  return wordToInt(word);
}
