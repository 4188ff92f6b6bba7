// A terminal-like panel for zkCli: output in a log region, one command line with history (Up/Down)
// and Tab completion against the live tree.
import { createContext, useContext, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { applyCompletion } from '../completion-apply';
import type { ConsoleSession } from '../console-session';
import { appendConsole, clearConsole, type ConsoleLine } from '../store';
import { SeqChunks } from './SeqChunks';
import { useAppState, useAppStore } from './store-context';

export const ConsoleContext = createContext<ConsoleSession | null>(null);

function renderLine(line: ConsoleLine) {
  return (
    <div key={line.seq} className={`line line-${line.stream}`}>
      {line.text === '' ? '\u00a0' : line.text}
    </div>
  );
}

export function Console() {
  const store = useAppStore();
  const session = useContext(ConsoleContext);
  const lines = useAppState((s) => s.consoleLines);
  const prompt = useAppState((s) => s.prompt);
  const [buffer, setBuffer] = useState('');
  /** Position while walking history: history.length means "the line being typed". */
  const historyIndex = useRef<number | null>(null);
  const draft = useRef('');
  const logRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const log = logRef.current;
    if (log !== null) log.scrollTop = log.scrollHeight;
  }, [lines]);

  const submit = async () => {
    if (session === null) return;
    const line = buffer;
    setBuffer('');
    historyIndex.current = null;
    await session.run(line);
  };

  const walkHistory = (delta: number) => {
    if (session === null) return;
    const history = session.lines;
    const current = historyIndex.current ?? history.length;
    if (historyIndex.current === null) draft.current = buffer;
    const next = Math.max(0, Math.min(history.length, current + delta));
    historyIndex.current = next;
    setBuffer(next === history.length ? draft.current : (history[next] ?? ''));
  };

  const complete = async () => {
    if (session === null) return;
    const typed = buffer;
    const applied = applyCompletion(typed, await session.complete(typed));
    if (applied.listed !== null) appendConsole(store, 'out', applied.listed.join('  '));
    setBuffer((now) => (now === typed ? applied.buffer : now));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void submit();
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      walkHistory(-1);
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      walkHistory(1);
    } else if (event.key === 'Tab') {
      event.preventDefault();
      void complete();
    } else if (event.key === 'l' && event.ctrlKey) {
      event.preventDefault();
      clearConsole(store);
    }
  };

  return (
    <section className="panel console" aria-label="console">
      <header className="panel-head">
        <h2>zkCli</h2>
        <span className="dim">Tab completes · ↑↓ history · Ctrl+L clears</span>
      </header>
      <div className="console-log mono" role="log" aria-label="zkCli output" ref={logRef} onClick={() => inputRef.current?.focus()}>
        <SeqChunks items={lines} renderItem={renderLine} />
      </div>
      <div className="console-input mono">
        <span className="prompt" aria-hidden="true">
          {prompt}
        </span>
        <input
          ref={inputRef}
          aria-label="zkCli command"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          value={buffer}
          disabled={session === null}
          onChange={(e) => {
            setBuffer(e.target.value);
            historyIndex.current = null;
          }}
          onKeyDown={onKeyDown}
        />
      </div>
    </section>
  );
}
