// Holds the line the architecture depends on: the server core (src/zk) and the wire codecs
// (src/jute) read no clock, draw no Math.random, start no timer, await nothing, and import
// nothing from Node, the DOM hosts, peerjs or IndexedDB. Tests are exempt.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const FORBIDDEN: Array<[RegExp, string]> = [
  [/\bDate\.now\s*\(|\bnew Date\s*\(/, 'reads the clock'],
  [/\bMath\.random\s*\(/, 'draws unseeded randomness'],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask|requestAnimationFrame)\s*\(/, 'starts a timer'],
  [/\bawait\b|\basync\s+(function|\(|[a-zA-Z_$][\w$]*\s*\()/, 'awaits'],
  [/from\s+['"](node:|fs|net|os|path|crypto|peerjs|idb|react)/, 'imports a host module'],
  [/\b(window|document|indexedDB|localStorage|navigator|process)\./, 'touches a host global'],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.test\.ts$|test-|-test\.ts$|testdata|arbitraries/.test(name) ? [path] : [];
  });
}

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('core purity', () => {
  for (const dir of ['zk', 'jute']) {
    it(`src/${dir} has no clock, randomness, timers, await or host imports`, () => {
      const problems: string[] = [];
      for (const file of sourceFiles(join(ROOT, dir))) {
        const text = withoutComments(readFileSync(file, 'utf8'));
        for (const [pattern, what] of FORBIDDEN) {
          if (pattern.test(text)) problems.push(`${relative(ROOT, file)} ${what}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
