// Records golden transcripts from a real Apache ZooKeeper (Debian 3.8.0):
//   npx tsx scripts/apache/record-golden.ts                 # all cases + zkCli scripts
//   npx tsx scripts/apache/record-golden.ts --only a,b      # some cases (zkCli skipped)
//   npx tsx scripts/apache/record-golden.ts --print         # print, write nothing
//   npx tsx scripts/apache/record-golden.ts --no-zkcli | --zkcli-only
//   npx tsx scripts/apache/record-golden.ts --api [--only api-x,api-y]   # ZooKeeperApi cases with
//       OUR client (src/client) against Apache -> src/compat/golden-api/<case>.json
// Starts a fresh standalone server on --port (default: a free port), runs the cases in order, writes
// src/compat/golden/<case>.json and src/compat/golden-zkcli/<script>.txt, stops the server.
import { cases } from '../../src/compat/scenarios';
import { writeGolden, formatGolden, API_GOLDEN_DIR } from '../../src/compat/golden';
import { apiCases, runApiCase } from '../../src/compat/api-scenarios';
import { runCases } from '../../src/compat/runner';
import { runZkCliScript, zkcliScripts, writeZkCliGolden, zkCliAvailable } from '../../src/compat/zkcli';
import { startApacheStandalone } from './apache-zk.mjs';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string): boolean => process.argv.includes(`--${name}`);

async function recordApi(only: string[] | undefined, print: boolean, port: number | undefined): Promise<void> {
  const { ourClientFactory } = await import('../../src/compat/our-client-factory');
  const selected = only ? apiCases.filter((c) => only.includes(c.name)) : apiCases.filter((c) => !c.slowMs || flag('slow'));
  const zk = await startApacheStandalone({ clientPort: port });
  const server = `Apache ZooKeeper ${zk.version} (Debian package, standalone, tickTime=2000), via our client`;
  try {
    for (const c of selected) {
      const started = Date.now();
      const transcript = await runApiCase(c, ourClientFactory(zk.connectString));
      const g = { case: c.name, about: c.about, ...(c.informational ? { informational: true } : {}), server, transcript };
      if (print) console.log(formatGolden(g));
      else writeGolden(g, API_GOLDEN_DIR);
      console.log(`ok ${c.name} (${transcript.length} entries, ${Date.now() - started} ms)`);
    }
  } finally {
    await zk.stop();
  }
}

async function main(): Promise<void> {
  const only = arg('only')?.split(',');
  const print = flag('print');
  const port = arg('port') === undefined ? undefined : Number(arg('port'));
  if (flag('api')) return recordApi(only, print, port);
  const selected = only ? cases.filter((c) => only.includes(c.name)) : cases;
  if (only && selected.length !== only.length) throw new Error(`unknown case in --only: ${only.filter((n) => !cases.some((c) => c.name === n)).join(',')}`);

  const server = (version: string) => `Apache ZooKeeper ${version} (Debian package, standalone, tickTime=2000)`;
  if (!flag('zkcli-only')) {
    const zk = await startApacheStandalone({ clientPort: port });
    console.log(`${server(zk.version)} on ${zk.connectString}, dir ${zk.dir}`);
    try {
      await runCases(selected, zk.connectString, (r) => {
        const c = selected.find((x) => x.name === r.name)!;
        const g = { case: c.name, about: c.about, ...(c.informational ? { informational: true } : {}), server: server(zk.version), transcript: r.transcript };
        if (print) console.log(formatGolden(g));
        else writeGolden(g);
        const bad = r.transcript.some((e) => e !== null && typeof e === 'object' && !Array.isArray(e) && ('harnessError' in e || 'timeout' in e));
        console.log(`${bad ? '!!' : 'ok'} ${c.name} (${r.transcript.length} entries, ${r.durationMs} ms)`);
      });
    } finally {
      await zk.stop();
    }
  }
  // zkCli scripts get their own fresh server: some cases change /zookeeper, which `ls -s` shows.
  if (!only && !flag('no-zkcli') && zkCliAvailable()) {
    const zk = await startApacheStandalone({ clientPort: port });
    try {
      for (const s of zkcliScripts) {
        const out = await runZkCliScript(s, zk.connectString);
        if (print) console.log(`--- zkcli ${s.name}\n${out.normalized}`);
        else writeZkCliGolden(s.name, out.normalized);
        console.log(`ok zkcli ${s.name} (${out.elapsedMs} ms)`);
      }
    } finally {
      await zk.stop();
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
