// Re-runs every golden script in testdata/ and compares each command's output with the recorded
// transcript. UPDATE_GOLDEN=1 rewrites the files with what the commands print now.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatScript, parseScript } from './golden';
import { ScriptInterpreter } from './interpreter';

const dir = join(__dirname, 'testdata');
const update = process.env['UPDATE_GOLDEN'] === '1';
const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();

describe('golden interaction scripts', () => {
  it('has scripts', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(file, async () => {
      const path = join(dir, file);
      const blocks = parseScript(readFileSync(path, 'utf8'));
      const interpreter = new ScriptInterpreter();
      const ran = [];
      for (const block of blocks) ran.push({ ...block, actual: await interpreter.run(block.command) });
      if (update) {
        writeFileSync(path, formatScript(ran));
        return;
      }
      for (const block of ran) {
        expect(block.expected, `${file}: "${block.command}" has no recorded output (run with UPDATE_GOLDEN=1)`).not.toBeNull();
        expect(block.actual.join('\n'), `${file}: output of "${block.command}"`).toBe(block.expected!.join('\n'));
      }
    }, 60_000);
  }
});

describe('golden script format', () => {
  it('parses commands, comments and outputs, and formats them back', () => {
    const text = '# a comment\nadd-servers 1\n----\ns1 start\n\nstatus\n----\ns1 up\nnetwork healed\n';
    const blocks = parseScript(text);
    expect(blocks.map((b) => b.command)).toEqual(['add-servers 1', 'status']);
    expect(blocks[0]!.comments).toEqual(['# a comment']);
    expect(blocks[1]!.expected).toEqual(['s1 up', 'network healed']);
    expect(formatScript(blocks.map((b) => ({ ...b, actual: b.expected ?? [] })))).toBe(text);
  });

  it('reports unknown commands as output, not as a crash', async () => {
    const interpreter = new ScriptInterpreter();
    expect(await interpreter.run('frobnicate 3')).toEqual(['error: unknown command "frobnicate"']);
    expect(await interpreter.run('status')).toEqual(['error: no servers yet: add-servers first']);
  });
});
