import { describe, it, expect } from 'vitest';
import { OpCode } from '../../jute/opcodes';
import { CreateMode, OPEN_ACL_UNSAFE } from '../types';
import { Harness } from './test-harness';
import { ZK_VERSION } from './four-letter';

const enc = new TextEncoder();
const dec = new TextDecoder();

function fourLetter(h: Harness, conn: number, word: string): string {
  h.step({ kind: 'connection.open', connection: conn, remoteAddress: '127.0.0.1:7000' });
  h.step({ kind: 'connection.data', connection: conn, bytes: enc.encode(word) });
  expect(h.closed.has(conn)).toBe(true);
  return (h.rawSent.get(conn) ?? []).map((b) => dec.decode(b)).join('');
}

function busyServer(overrides = {}): Harness {
  const h = new Harness({ hostInfo: { dataDir: '/var/zk', clientPort: '2181', 'host.name': 'tab-1', dataDirSize: '123' }, ...overrides });
  h.connect(1, {}, '10.0.0.5:40000');
  h.send(1, { op: OpCode.create, path: '/e', data: new Uint8Array(), acl: [...OPEN_ACL_UNSAFE], flags: CreateMode.EPHEMERAL });
  h.send(1, { op: OpCode.getData, path: '/e', watch: true });
  return h;
}

describe('four-letter words', () => {
  it('ruok answers imok and closes', () => {
    expect(fourLetter(new Harness(), 1, 'ruok')).toBe('imok');
  });

  it('srvr has Apache\'s lines, the asking connection counted', () => {
    const h = busyServer();
    const text = fourLetter(h, 9, 'srvr');
    expect(text).toBe(
      `Zookeeper version: ${ZK_VERSION}\n` +
        'Latency min/avg/max: 0/0.0/0\n' +
        'Received: 4\n' +
        'Sent: 3\n' +
        'Connections: 2\n' +
        'Outstanding: 0\n' +
        'Zxid: 0x2\n' +
        'Mode: standalone\n' +
        'Node count: 6\n',
    );
  });

  it('stat lists clients briefly before the stats', () => {
    const h = busyServer();
    const text = fourLetter(h, 9, 'stat');
    expect(text).toContain('Clients:\n /10.0.0.5:40000[1](queued=0,recved=3,sent=3)\n /127.0.0.1:7000[0](queued=0,recved=1,sent=0)\n\n');
    expect(text).toMatch(/Mode: standalone\nNode count: 6\n$/);
  });

  it('words outside the whitelist are refused; srvr is always allowed', () => {
    const h = new Harness({ fourLetterWords: new Set(['ruok']) });
    expect(fourLetter(h, 1, 'stat')).toBe('stat is not executed because it is not in the whitelist.\n');
    expect(fourLetter(h, 2, 'srvr')).toContain('Mode: standalone');
    expect(fourLetter(h, 3, 'ruok')).toBe('imok');
  });

  it('conf prints the configuration keys in dumpConf order', () => {
    const text = fourLetter(busyServer(), 9, 'conf');
    expect(text.split('\n').map((l) => l.split('=')[0])).toEqual([
      'clientPort',
      'secureClientPort',
      'dataDir',
      'dataDirSize',
      'dataLogDir',
      'dataLogSize',
      'tickTime',
      'maxClientCnxns',
      'minSessionTimeout',
      'maxSessionTimeout',
      'clientPortListenBacklog',
      'serverId',
      '',
    ]);
    expect(text).toContain('tickTime=2000\nmaxClientCnxns=60\nminSessionTimeout=4000\nmaxSessionTimeout=40000\n');
    expect(text).toContain('dataDir=/var/zk\n');
  });

  it('conf adds the quorum keys and membership after serverId when the host is a quorum member', () => {
    const membership = 'server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181\nversion=0';
    const hostInfo = { clientPort: '2181', initLimit: '10', syncLimit: '5', electionAlg: '3', electionPort: '3888', quorumPort: '2888', peerType: '0', membership };
    const text = fourLetter(new Harness({ hostInfo, serverId: 1 }), 1, 'conf');
    expect(text.slice(text.indexOf('serverId='))).toBe(
      'serverId=1\ninitLimit=10\nsyncLimit=5\nelectionAlg=3\nelectionPort=3888\nquorumPort=2888\npeerType=0\nmembership: \n' + membership,
    );
    expect(fourLetter(busyServer(), 9, 'conf')).not.toContain('membership');
  });

  it('cons prints full connection info with the session', () => {
    const h = busyServer();
    const sid = h.session(1).sessionId.toString(16);
    const text = fourLetter(h, 9, 'cons');
    expect(text).toMatch(
      new RegExp(
        `^ /10\\.0\\.0\\.5:40000\\[1\\]\\(queued=0,recved=3,sent=3,sid=0x${sid},lop=GETD,est=1000000,to=30000,lcxid=0x2,lzxid=0x2,lresp=1000000,llat=0,minlat=0,avglat=0,maxlat=0\\)\\n`,
      ),
    );
    expect(text.endsWith('\n\n')).toBe(true);
  });

  it('mntr prints tab-separated zk_ keys', () => {
    const text = fourLetter(busyServer(), 9, 'mntr');
    const rows = new Map(text.trim().split('\n').map((l) => l.split('\t') as [string, string]));
    expect(rows.get('zk_version')).toBe(ZK_VERSION);
    expect(rows.get('zk_server_state')).toBe('standalone');
    expect(rows.get('zk_znode_count')).toBe('6');
    expect(rows.get('zk_watch_count')).toBe('1');
    expect(rows.get('zk_ephemerals_count')).toBe('1');
    expect(rows.get('zk_global_sessions')).toBe('1');
    expect(rows.get('zk_avg_latency')).toBe('0.0');
    expect(text.split('\n').filter((l) => l !== '').every((l) => /^zk_[a-z_]+\t/.test(l))).toBe(true);
  });

  it('isro, dirs, envi', () => {
    const h = busyServer();
    expect(fourLetter(h, 9, 'isro')).toBe('rw');
    expect(fourLetter(h, 10, 'dirs')).toBe('datadir_size: 123\nlogdir_size: 0\n');
    expect(fourLetter(h, 11, 'envi')).toBe(`Environment:\nzookeeper.version=${ZK_VERSION}\nhost.name=tab-1\n`);
  });

  it('dump lists session buckets and ephemerals', () => {
    const h = busyServer();
    const sid = h.session(1).sessionId.toString(16);
    const text = fourLetter(h, 9, 'dump');
    expect(text).toContain('SessionTracker dump:\nSession Sets (1)/(1):\n1 expire at ');
    expect(text).toContain(`ephemeral nodes dump:\nSessions with Ephemerals (1):\n0x${sid}:\n\t/e\n`);
    expect(text).toContain('Connections dump:\n');
  });

  it('srst and crst reset the counters', () => {
    const h = busyServer();
    expect(fourLetter(h, 9, 'srst')).toBe('Server stats reset.\n');
    expect(fourLetter(h, 10, 'srvr')).toContain('Received: 1\nSent: 0\n');
    expect(fourLetter(h, 11, 'crst')).toBe('Connection stats reset.\n');
    expect(fourLetter(h, 12, 'cons')).toContain('(queued=0,recved=0,sent=0,sid=');
  });

  it('latency shows up after requests that took time', () => {
    const h = new Harness();
    h.connect(1);
    h.autoDurable = false;
    h.send(1, { op: OpCode.create, path: '/slow', data: new Uint8Array(), acl: [...OPEN_ACL_UNSAFE], flags: 0 });
    h.clock(30);
    h.durable();
    expect(fourLetter(h, 9, 'srvr')).toContain('Latency min/avg/max: 0/15.0/30\n');
  });
});
