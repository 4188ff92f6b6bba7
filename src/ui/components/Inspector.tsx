// The selected znode: its data as text (JSON pretty-printed when it parses) or hex, its Stat in
// zkCli's `name = value` lines, and its ACL. Data is always rendered as text nodes, never as HTML.
import { useMemo, useState } from 'react';
import { aclEntryLines } from '../../client/zkcli/acl-text';
import { statLines } from '../../client/zkcli/stat-printer';
import { dataAsText, hexDump } from '../data-format';
import type { SelectionDetail } from '../store';
import { useAppState } from './store-context';

const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
type DataView = 'text' | 'hex';

export function Inspector() {
  const selection = useAppState((s) => s.selection);
  return (
    <section className="panel inspector" aria-label="inspector">
      <header className="panel-head">
        <h2>inspector</h2>
        {selection !== null && (
          <code className="inspected-path" aria-label="inspected path">
            {selection.path}
          </code>
        )}
      </header>
      {selection === null ? <p className="dim pad">Select a znode in the tree.</p> : <SelectionView selection={selection} />}
    </section>
  );
}

function SelectionView({ selection }: { selection: SelectionDetail }) {
  if (selection.state === 'loading') return <p className="dim pad">loading…</p>;
  if (selection.state === 'deleted') return <p className="warn-line pad">{selection.path} does not exist (deleted).</p>;
  if (selection.state === 'error') return <p className="error-line pad">{selection.error}</p>;
  return (
    <div className="inspector-body">
      <DataSection data={selection.data} />
      <div className="inspector-columns">
        <section aria-label="stat" className="subpanel">
          <h3>stat</h3>
          <pre className="mono">{selection.stat === null ? '' : statLines(selection.stat, TIME_ZONE).join('\n')}</pre>
        </section>
        <section aria-label="acl" className="subpanel">
          <h3>acl</h3>
          <pre className="mono">{(selection.acl ?? []).flatMap((entry) => aclEntryLines(entry)).join('\n')}</pre>
        </section>
      </div>
    </div>
  );
}

function DataSection({ data }: { data: Uint8Array | null }) {
  const [view, setView] = useState<DataView>('text');
  const text = useMemo(() => dataAsText(data), [data]);
  const hex = useMemo(() => (view === 'hex' ? hexDump(data) : null), [data, view]);
  const length = data?.length ?? 0;
  return (
    <section aria-label="data" className="subpanel">
      <div className="subpanel-head">
        <h3>data</h3>
        <span className="badge">{text.kind}</span>
        <span className="dim">{length} bytes</span>
        <div role="radiogroup" aria-label="data view" className="segmented">
          {(['text', 'hex'] as const).map((v) => (
            <button key={v} role="radio" aria-checked={view === v} className={view === v ? 'on' : ''} onClick={() => setView(v)}>
              {v}
            </button>
          ))}
        </div>
      </div>
      {view === 'text' ? (
        <pre className="mono data-text" aria-label="data text">
          {text.kind === 'empty' ? '(empty)' : text.text}
          {text.truncated ? '\n… (truncated)' : ''}
        </pre>
      ) : (
        <pre className="mono data-hex" aria-label="data hex">
          {hex?.lines.join('\n')}
          {hex?.truncated ? `\n… (first ${hex.lines.length * 16} of ${length} bytes)` : ''}
        </pre>
      )}
    </section>
  );
}
