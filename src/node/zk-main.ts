// `npm run zk -- <zoo.cfg>`: starts a ZooTabs server from an Apache ZooKeeper config file.
import { readFileSync } from 'node:fs';
import { parseZooCfg, ZooCfgError } from './zoo-cfg';
import { startStandalone } from './standalone-node';
import { startEnsembleMember } from './ensemble-node';

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

async function main(): Promise<void> {
  const cfgPath = process.argv[2];
  if (cfgPath === undefined || cfgPath === '-h' || cfgPath === '--help') {
    process.stderr.write('Usage: npm run zk -- <path to zoo.cfg>\n');
    process.exit(cfgPath === undefined ? 2 : 0);
  }
  let text: string;
  try {
    text = readFileSync(cfgPath, 'utf8');
  } catch (error) {
    process.stderr.write(`Cannot read config ${cfgPath}: ${(error as Error).message}\n`);
    process.exit(2);
  }
  try {
    const cfg = parseZooCfg(text);
    for (const warning of cfg.warnings) log(`WARN zoo.cfg: ${warning}`);
    if (cfg.servers.length > 0) {
      const running = await startEnsembleMember(cfg, { log });
      installShutdown(running.stop);
      return;
    }
    const running = await startStandalone(cfg, { log });
    installShutdown(running.stop);
  } catch (error) {
    if (error instanceof ZooCfgError) {
      process.stderr.write(`Invalid config ${cfgPath}: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

function installShutdown(stop: () => Promise<void>): void {
  const shutdown = (): void => {
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
