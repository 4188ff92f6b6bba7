// Replays a script captured from Apache zkCli 3.8.0 against a real server and compares our output
// line by line. Normalized: zxids, times (checked for Java's Date format instead) and session ids.
// Watch events are compared as their own sequence: where they land among the command output is a
// race in zkCli (its event thread prints them), so only their order among themselves is fixed.
import { describe, expect, it } from 'vitest';
import { OUTPUT_COMMANDS, OUTPUT_ERRORS, SCRIPT_COMMANDS, SCRIPT_ERRORS } from './apache-transcript.fixture';
import { connectedCli } from './test-harness';

const JAVA_DATE = /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d UTC \d{4}$/;

function normalize(line: string): string {
  const time = /^([cm]time) = (.*)$/.exec(line);
  if (time !== null) return JAVA_DATE.test(time[2] ?? '') ? `${time[1]} = <date>` : line;
  return line
    .replace(/^([cmp]Zxid) = 0x[0-9a-f]+$/, '$1 = <zxid>')
    .replace(/^ephemeralOwner = 0x[0-9a-f]{7,}$/, 'ephemeralOwner = <session>');
}

/** Splits output into command lines and watch events ("", "WATCHER::", "", "WatchedEvent ..."). */
function separate(lines: readonly string[]): { output: string[]; events: string[] } {
  const output: string[] = [];
  const events: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === '' && lines[i + 1] === 'WATCHER::' && lines[i + 2] === '') {
      events.push(lines[i + 3] ?? '');
      i += 3;
    } else {
      output.push(normalize(lines[i] ?? ''));
    }
  }
  return { output, events };
}

const CONNECTED_EVENT = ['', 'WATCHER::', '', 'WatchedEvent state:SyncConnected type:None path:null'];

async function replay(script: readonly string[]): Promise<{ output: string[]; events: string[] }> {
  const h = await connectedCli();
  // The captured runs include the connection event; ours was printed by open().
  return separate([...CONNECTED_EVENT, ...(await h.run(...script))]);
}

describe('Apache zkCli 3.8.0 transcripts', () => {
  it('commands on a working session', async () => {
    const ours = await replay(SCRIPT_COMMANDS);
    const apache = separate(OUTPUT_COMMANDS);
    expect(ours.output).toEqual(apache.output);
    expect(ours.events).toEqual(apache.events);
  });

  it('usage and parse errors, word splitting, history/redo, close and reconnect', async () => {
    const ours = await replay(SCRIPT_ERRORS);
    const apache = separate(OUTPUT_ERRORS);
    expect(ours.output).toEqual(apache.output);
    expect(ours.events).toEqual(apache.events);
  });
});
