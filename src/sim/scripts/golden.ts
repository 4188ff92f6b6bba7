// The golden-file format (etcd raft's datadriven style): a command line, a `----` line, the output
// it printed, then a blank line. Lines starting with `#` before a command are comments and are kept.

export interface ScriptBlock {
  comments: string[];
  command: string;
  /** Recorded output (null when the file has no `----` section for the command yet). */
  expected: string[] | null;
}

export function parseScript(text: string): ScriptBlock[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const blocks: ScriptBlock[] = [];
  let comments: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      comments.push(line);
      continue;
    }
    const block: ScriptBlock = { comments, command: line.trim(), expected: null };
    comments = [];
    if (lines[i + 1] === '----') {
      const expected: string[] = [];
      for (i += 2; i < lines.length && lines[i] !== ''; i++) expected.push(lines[i]!);
      block.expected = expected;
    }
    blocks.push(block);
  }
  return blocks;
}

export function formatScript(blocks: ReadonlyArray<ScriptBlock & { actual: string[] }>): string {
  const parts = blocks.map((b) => [...b.comments, b.command, '----', ...b.actual].join('\n'));
  return parts.join('\n\n') + '\n';
}
