// Splits a command line into words exactly as ZooKeeperMain.MyCommandOptions.parseCommand does:
// a word is an unquoted run of non-space characters, or a "double" / 'single' quoted string whose
// quotes are stripped. Quirks kept on purpose: an unmatched quote is skipped, a line of only
// spaces yields one word " ", and `a"b c"` yields `a"b` and `c"`.

// Java's \s is [ \t\n\x0B\f\r]; JavaScript's \s is wider, so spell Java's out.
const SPACE = '[ \\t\\n\\x0B\\f\\r]';
const NON_SPACE = '[^ \\t\\n\\x0B\\f\\r]';
const ARGS_PATTERN = new RegExp(`${SPACE}*([^"']${NON_SPACE}*|"[^"]*"|'[^']*')${SPACE}*`, 'g');
const QUOTED_PATTERN = /^(['"])(.*)\1$/;

export function tokenizeCommand(line: string): string[] {
  const words: string[] = [];
  ARGS_PATTERN.lastIndex = 0;
  for (let m = ARGS_PATTERN.exec(line); m !== null; m = ARGS_PATTERN.exec(line)) {
    const word = m[1] ?? '';
    words.push(QUOTED_PATTERN.test(word) ? word.slice(1, -1) : word);
  }
  return words;
}
