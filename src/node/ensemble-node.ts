// Starts one member of a replicated ensemble in Node from zoo.cfg (server.N lines) and dataDir/myid,
// as Apache's QuorumPeerMain does: file storage, the pure QuorumPeer behind a CoreHost, peers over
// TCP (election and ZAB both on the electionPort connection), clients on clientPort.
import { FileStorage } from '../storage/file-storage';
import { QuorumPeer } from '../zk/quorum-peer';
import { defaultQuorumPeerConfig, quorumConfigText, type QuorumPeerConfig, type QuorumServerSpec } from '../zk/zab/peer-config';
import { Prng } from '../zk/prng';
import { TcpTransport } from '../net/tcp-transport';
import type { ServerId } from '../zk/types';
import type { ZooCfg } from './zoo-cfg';
import { ZooCfgError } from './zoo-cfg';
import { CoreHost } from '../host/core-host';
import { listenTcp, type TcpListener } from './tcp-listener';
import { serverConfigFromCfg, type RunningServer, type StartOptions } from './standalone-node';

export function quorumSpecsFromCfg(cfg: ZooCfg): QuorumServerSpec[] {
  return cfg.servers.map((s) => ({
    id: s.id,
    host: s.host,
    quorumPort: s.quorumPort,
    electionPort: s.electionPort,
    role: s.role,
    clientPort: s.clientPort ?? cfg.clientPort,
    ...(s.clientHost !== null ? { clientAddress: s.clientHost } : {}),
  }));
}

export function parseMyId(text: string | undefined, cfg: ZooCfg): ServerId {
  if (text === undefined) throw new ZooCfgError(`${cfg.dataDir}/myid file is missing`);
  const id = Number(text.trim());
  if (!Number.isInteger(id) || id < 0) throw new ZooCfgError(`${cfg.dataDir}/myid holds "${text.trim()}", not a server id`);
  if (!cfg.servers.some((s) => s.id === id)) throw new ZooCfgError(`myid ${id} has no server.${id} line in zoo.cfg`);
  return id;
}

/** The `conf` lines Apache adds in quorum mode (QuorumZooKeeperServer.dumpConf), as hostInfo. */
export function quorumConfInfo(cfg: ZooCfg, self: ZooCfg['servers'][number], quorumConfig: QuorumPeerConfig): Record<string, string> {
  return {
    initLimit: String(cfg.initLimit),
    syncLimit: String(cfg.syncLimit),
    electionAlg: '3', // FastLeaderElection, the only one
    electionPort: String(self.electionPort),
    quorumPort: String(self.quorumPort),
    peerType: self.role === 'observer' ? '1' : '0', // LearnerType ordinal
    membership: quorumConfigText(quorumConfig),
  };
}

export async function startEnsembleMember(cfg: ZooCfg, options: StartOptions): Promise<RunningServer> {
  let peer: QuorumPeer | null = null;
  const storage = new FileStorage({ dataDir: cfg.dataDir, dataLogDir: cfg.dataLogDir, mayBlock: () => peer?.state !== 'LEADING' });
  const loaded = await storage.load();
  for (const warning of loaded.warnings) options.log(`WARN ${warning}`);
  const myId = parseMyId(loaded.meta['myid'], cfg);
  const self = cfg.servers.find((s) => s.id === myId);
  if (self === undefined) throw new ZooCfgError(`no server.${myId} line`);
  const specs = quorumSpecsFromCfg(cfg);
  const clientPort = self.clientPort ?? cfg.clientPort;
  const startMs = Date.now();
  const quorumConfig = defaultQuorumPeerConfig(specs, { initLimitTicks: cfg.initLimit, syncLimitTicks: cfg.syncLimit });
  const serverConfig = serverConfigFromCfg({ ...cfg, clientPort }, myId, options.onTrace !== undefined);
  peer = new QuorumPeer(
    { ...serverConfig, hostInfo: { ...serverConfig.hostInfo, ...quorumConfInfo(cfg, self, quorumConfig) } },
    quorumConfig,
    new Prng((startMs ^ (myId * 0x9e3779b1)) >>> 0),
    startMs,
    { snapshot: loaded.snapshot?.bytes ?? null, log: loaded.log, meta: loaded.meta },
  );
  const peers = new Map(cfg.servers.filter((s) => s.id !== myId).map((s) => [s.id, { host: s.host, port: s.electionPort }] as const));
  const transport = await TcpTransport.listen({ selfId: myId, listenHost: self.host, listenPort: self.electionPort, peers });
  let listener: TcpListener | null = null;
  const host: CoreHost = new CoreHost(
    peer,
    storage,
    {
      send: (connection, bytes) => listener?.send(connection, bytes),
      close: (connection) => listener?.close(connection),
    },
    {
      now: () => Date.now(),
      onTrace: options.onTrace,
      sendPeer: (to, bytes) => transport.send(to, bytes),
      onFatal: (error) => {
        options.log(`FATAL durable write failed, stopping to avoid acknowledging lost writes: ${String(error)}`);
        process.exit(2);
      },
    },
  );
  transport.onMessage((from, bytes) => host.feed({ kind: 'peer.message', from, bytes }));
  transport.onLinkChange((peerId, state) => host.feed({ kind: 'peer.link', peer: peerId, up: state === 'up' }));
  for (const id of peers.keys()) transport.connect(id);
  host.advanceClock();
  listener = await listenTcp(self.clientHost ?? cfg.clientPortAddress, clientPort, (input) => host.feed(input));
  const clockTimer = setInterval(() => host.advanceClock(), Math.max(5, Math.min(50, Math.floor(cfg.tickTimeMs / 10))));
  options.log(`ZooTabs server ${myId} of ${cfg.servers.length}: clients on ${clientPort}, peers on ${self.host}:${self.electionPort}`);
  const running = listener;
  return {
    port: running.port,
    async stop() {
      clearInterval(clockTimer);
      await running.shutdown();
      transport.close();
      await host.drainStorage();
      host.stop();
      await storage.close();
    },
  };
}
