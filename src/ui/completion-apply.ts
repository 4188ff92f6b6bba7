// Applies a zkCli completion to the typed line as a terminal does: one candidate completes the word
// (a command gets a trailing space), several extend it to their common prefix and are listed.
import type { Completion } from '../client/zkcli';

export interface AppliedCompletion {
  buffer: string;
  /** Candidates to list under the prompt, or null when the word was completed outright. */
  listed: string[] | null;
}

export function commonPrefix(words: readonly string[]): string {
  const first = words[0];
  if (first === undefined) return '';
  let end = first.length;
  for (const word of words) {
    let i = 0;
    while (i < end && i < word.length && word[i] === first[i]) i++;
    end = i;
  }
  return first.slice(0, end);
}

export function applyCompletion(buffer: string, completion: Completion): AppliedCompletion {
  const { candidates, from } = completion;
  if (candidates.length === 0) return { buffer, listed: null };
  const head = buffer.slice(0, from);
  const completingPath = (buffer.slice(buffer.lastIndexOf(' ') + 1) || '').startsWith('/');
  if (candidates.length === 1) {
    const only = candidates[0] as string;
    return { buffer: head + only + (completingPath ? '' : ' '), listed: null };
  }
  const prefix = commonPrefix(candidates);
  const typed = buffer.slice(from);
  return { buffer: prefix.length > typed.length ? head + prefix : buffer, listed: [...candidates] };
}
