// bench/results/tabs.md is written by two runs: bench/tabs-bench.ts (throughput, failover, reload)
// and e2e/tabs-hidden.spec.ts with TABS_HIDDEN_RESULTS=1 (hidden tabs). Each keeps the other's
// part: the hidden-tab part lives between two markers.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const TABS_RESULTS_PATH = path.resolve(import.meta.dirname, 'results', 'tabs.md');
const BEGIN = '<!-- hidden-tabs:begin -->';
const END = '<!-- hidden-tabs:end -->';

function readResults(): string {
  return existsSync(TABS_RESULTS_PATH) ? readFileSync(TABS_RESULTS_PATH, 'utf8') : '';
}

/** The current hidden-tab section with its markers (a placeholder when none was written yet). */
export function hiddenSection(): string {
  const text = readResults();
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start >= 0 && end > start) return text.slice(start, end + END.length);
  return `${BEGIN}\n(not measured yet: \`TABS_HIDDEN_RESULTS=1 npx playwright test e2e/tabs-hidden.spec.ts --workers=1\`)\n${END}`;
}

/** Replaces the hidden-tab section of tabs.md (appends one when the file has none). */
export function writeHiddenSection(body: string): void {
  const section = `${BEGIN}\n${body.trim()}\n${END}`;
  const text = readResults();
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  const next = start >= 0 && end > start ? text.slice(0, start) + section + text.slice(end + END.length) : `${text}${text === '' ? '# Browser cluster benchmark\n\n' : '\n'}## Hidden tabs\n\n${section}\n`;
  writeFileSync(TABS_RESULTS_PATH, next);
}
