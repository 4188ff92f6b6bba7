// Summarizes a V8 .cpuprofile (node --cpu-prof): time by area (our src/, dependencies, Node
// internals, GC, idle) and the top functions in src/ by self time, with their inclusive time.
//   npx tsx bench/cpuprofile-top.ts <file.cpuprofile> [top N]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

interface FunctionTime {
  name: string;
  selfUs: number;
  inclusiveUs: number;
}

function area(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (url.includes('/src/')) return 'src/ (ours)';
  if (url.includes('node_modules')) return 'node_modules';
  if (url.startsWith('node:')) return 'node internals (JS)';
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'native / program';
  return url === '' ? `native: ${functionName || '(anonymous)'}` : 'other';
}

function functionKey(node: ProfileNode): string {
  const { url, functionName, lineNumber } = node.callFrame;
  const file = url.slice(url.indexOf('/src/') + 1);
  return `${functionName || '(anonymous)'}  ${file}:${lineNumber + 1}`;
}

function selfTimes(profile: CpuProfile): Map<number, number> {
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  return selfUs;
}

/** Inclusive time per node id; counted once per function per stack so recursion is not doubled. */
function inclusiveByFunction(profile: CpuProfile, selfUs: Map<number, number>): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur)!;
      if (!node.callFrame.url.includes('/src/')) continue;
      const key = functionKey(node);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  return inclusive;
}

export function summarizeProfile(file: string, top = 20): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const selfUs = selfTimes(profile);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const areas = new Map<string, number>();
  const functions = new Map<string, FunctionTime>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    totalUs += us;
    areas.set(area(node), (areas.get(area(node)) ?? 0) + us);
    if (!node.callFrame.url.includes('/src/')) continue;
    const key = functionKey(node);
    const entry = functions.get(key) ?? { name: key, selfUs: 0, inclusiveUs: 0 };
    entry.selfUs += us;
    functions.set(key, entry);
  }
  const inclusive = inclusiveByFunction(profile, selfUs);
  for (const [key, us] of inclusive) {
    const entry = functions.get(key) ?? { name: key, selfUs: 0, inclusiveUs: 0 };
    entry.inclusiveUs = us;
    functions.set(key, entry);
  }
  const busyUs = totalUs - (areas.get('idle') ?? 0);
  const pct = (us: number): string => `${((100 * us) / busyUs).toFixed(1)}%`;
  const lines = [`profile ${file}: ${(totalUs / 1e6).toFixed(1)} s sampled, ${(busyUs / 1e6).toFixed(1)} s busy (percentages of busy)`, '', '| area | self | % busy |', '|---|---:|---:|'];
  for (const [name, us] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`| ${name} | ${(us / 1e3).toFixed(0)} ms | ${name === 'idle' ? '-' : pct(us)} |`);
  lines.push('', `| top ${top} in src/ by self time | self | inclusive |`, '|---|---:|---:|');
  for (const f of [...functions.values()].sort((a, b) => b.selfUs - a.selfUs).slice(0, top)) lines.push(`| ${f.name} | ${pct(f.selfUs)} | ${pct(f.inclusiveUs)} |`);
  lines.push('', `| top ${top} in src/ by inclusive time | inclusive | self |`, '|---|---:|---:|');
  for (const f of [...functions.values()].sort((a, b) => b.inclusiveUs - a.inclusiveUs).slice(0, top)) lines.push(`| ${f.name} | ${pct(f.inclusiveUs)} | ${pct(f.selfUs)} |`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write('usage: npx tsx bench/cpuprofile-top.ts <file.cpuprofile> [top N]\n');
    process.exit(2);
  }
  process.stdout.write(`${summarizeProfile(file, Number(process.argv[3] ?? 20))}\n`);
}
