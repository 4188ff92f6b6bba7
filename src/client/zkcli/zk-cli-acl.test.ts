// ACL, auth, watch and server commands: exact zkCli 3.8 text.
import { describe, expect, it } from 'vitest';
import { connectedCli, statBlock } from './test-harness';

describe('getAcl / setAcl', () => {
  it('prints each ACL as jute Id.toString() then the perms', async () => {
    const h = await connectedCli();
    await h.run('create /b x world:anyone:r');
    expect(await h.run('getAcl /b')).toEqual(["'world,'anyone", ': r']);
    expect(await h.run('getAcl -s /b')).toEqual(["'world,'anyone", ': r', ...statBlock({ czxid: '0x1', dataLength: 1 })]);
    expect(await h.run('getAcl', 'getAcl /nope')).toEqual(['getAcl [-s] path', 'Node does not exist: /nope']);
  });

  it('setAcl parses entries, complains about bad ones, keeps the rest', async () => {
    const h = await connectedCli();
    await h.run('create /acl');
    expect(await h.run('setAcl /acl', 'setAcl /acl world:anyone:cdrwa,bad,digest:u:p:rq')).toEqual([
      'setAcl [-s] [-v version] [-R] path acl',
      'bad does not have the form scheme:id:perm',
      'Unknown perm type: q',
    ]);
    expect(await h.run('getAcl /acl')).toEqual(["'world,'anyone", ': cdrwa', "'digest,'u:p", ': r']);
    expect(await h.run('setAcl -s /acl world:anyone:rwcda')).toEqual(
      statBlock({ czxid: '0x1', aversion: 2 }),
    );
    expect(await h.run('setAcl -v 7 /acl world:anyone:rwcda', 'setAcl /acl ip:1.2.3:r', 'setAcl /acl foo')).toEqual([
      'version No is not valid : /acl',
      'Acl is not valid : /acl',
      'foo does not have the form scheme:id:perm',
      'Acl is not valid : null',
    ]);
    expect(await h.run('setAcl /acl auth::cdrwa')).toEqual(['Acl is not valid : /acl']);
  });

  it('setAcl -R prints failures run together on one line, as print() does', async () => {
    const h = await connectedCli();
    await h.run('create /q', 'create /q/r', 'create /q/r/s');
    expect(await h.run('setAcl -R /q world:anyone:r', 'getAcl /q/r/s')).toEqual(["'world,'anyone", ': r']);
    expect(await h.run('setAcl -R /q world:anyone:cdrwa')).toEqual([
      'KeeperErrorCode = NoAuth for /qKeeperErrorCode = NoAuth for /q/rKeeperErrorCode = NoAuth for /q/r/s',
    ]);
  });

  it('escapes special characters in ids like ToStringOutputArchive', async () => {
    const h = await connectedCli();
    await h.run('create /d x world:anyone:cdrwa,digest:a%b}:hash:r');
    expect(await h.run('getAcl /d')).toEqual(["'world,'anyone", ': cdrwa', "'digest,'a%25b%7D:hash", ': r']);
  });
});

describe('addauth / whoami', () => {
  it('adds a digest identity used by auth ACLs', async () => {
    const h = await connectedCli();
    expect(await h.run('whoami')).toEqual(['Auth scheme: User', 'ip: 127.0.0.1']);
    expect(await h.run('addauth', 'addauth digest u:p', 'whoami')).toEqual([
      'addauth scheme auth',
      'Auth scheme: User',
      'ip: 127.0.0.1',
      'digest: u',
    ]);
    await h.run('create /acl', 'setAcl /acl auth::cdrwa');
    expect(await h.run('getAcl /acl')).toEqual(["'digest,'u:Jq7wMyA/w2Vd5WIDAKdu4OIIFEQ=", ': cdrwa']);
  });

  it('a failed auth closes the session: later commands print Not connected', async () => {
    const h = await connectedCli();
    expect(await h.run('addauth digest', 'ls /')).toEqual([
      '',
      'WATCHER::',
      '',
      'WatchedEvent state:AuthFailed type:None path:null',
      'Not connected',
    ]);
  });
});

describe('watches', () => {
  it('get -w fires once; addWatch persists; removewatches reports', async () => {
    const h = await connectedCli();
    await h.run('create /a x');
    expect(await h.run('get -w /a', 'set /a y', 'set /a z')).toEqual([
      'x',
      '',
      'WATCHER::',
      '',
      'WatchedEvent state:SyncConnected type:NodeDataChanged path:/a',
    ]);
    expect(await h.run('addWatch', 'addWatch -m foo /a', 'addWatch /a /b')).toEqual(
      Array(3).fill(
        'addWatch [-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] - default is PERSISTENT_RECURSIVE',
      ),
    );
    await h.run('addWatch -m persistent /a');
    const event = ['', 'WATCHER::', '', 'WatchedEvent state:SyncConnected type:NodeDataChanged path:/a'];
    expect(await h.run('set /a 1', 'set /a 2')).toEqual([...event, ...event]);
    expect(await h.run('removewatches', 'removewatches /a', 'removewatches /a -d', 'removewatches /nope -c -l')).toEqual([
      'removewatches path [-c|-d|-a] [-l]',
      '',
      'WATCHER::',
      '',
      'WatchedEvent state:SyncConnected type:PersistentWatchRemoved path:/a',
      'KeeperErrorCode = No such watcher for /a',
      'KeeperErrorCode = No such watcher for /nope',
    ]);
    expect(h.clients[0]!.calls).toContain('removeAllWatches /nope type=Children local=true');
  });

  it('addWatch keeps the last -m mode for later calls, as zkCli does', async () => {
    const h = await connectedCli();
    await h.run('addWatch /x', 'addWatch -m persistent /y', 'addWatch /z');
    expect(h.clients[0]!.calls.filter((c) => c.startsWith('addWatch'))).toEqual([
      'addWatch /x mode=PERSISTENT_RECURSIVE',
      'addWatch /y mode=PERSISTENT',
      'addWatch /z mode=PERSISTENT',
    ]);
  });

  it('a recursive watch sees descendants; a bad path escapes as IllegalArgumentException', async () => {
    const h = await connectedCli();
    await h.run('create /r', 'addWatch /r');
    expect(await h.run('create /r/c')).toEqual([
      'Created /r/c',
      '',
      'WATCHER::',
      '',
      'WatchedEvent state:SyncConnected type:NodeCreated path:/r/c',
    ]);
    expect(await h.run('addWatch x')).toEqual([
      'Exception in thread "main" java.lang.IllegalArgumentException: Path must start with / character',
    ]);
  });

  it('prints the 3.9 format (with zxid) when asked', async () => {
    const h = await connectedCli({ eventFormat: '3.9' });
    await h.run('create /a', 'stat -w /a');
    expect(await h.run('delete /a')).toEqual(['', 'WATCHER::', '', 'WatchedEvent state:SyncConnected type:NodeDeleted path:/a zxid: 2']);
  });
});

describe('server commands', () => {
  it('sync, getEphemerals, getAllChildrenNumber', async () => {
    const h = await connectedCli();
    expect(await h.run('sync', 'sync /nope', 'sync x')).toEqual([
      'sync path',
      'Sync is OK',
      'Path must start with / character',
    ]);
    expect(await h.run('getEphemerals')).toEqual(['[]']);
    await h.run('create -e /eph', 'create -e -s /eph');
    expect(await h.run('getEphemerals', 'getEphemerals /e', 'getEphemerals x')).toEqual([
      '[/eph, /eph0000000001]',
      '[/eph, /eph0000000001]',
      'Path must start with / character',
    ]);
    expect(await h.run('getAllChildrenNumber', 'getAllChildrenNumber /', 'getAllChildrenNumber /nope')).toEqual([
      'getAllChildrenNumber path',
      '5',
      'Node does not exist: /nope',
    ]);
  });

  it('sync failure prints the result code', async () => {
    const h = await connectedCli();
    h.server.failWith = -4;
    expect(await h.run('sync /')).toEqual(['Sync has failed. rc=-4']);
    expect(await h.run('get /')).toEqual(['KeeperErrorCode = ConnectionLoss for /']);
  });

  it('config prints the dynamic config; -c the client string; version', async () => {
    const { FakeServer } = await import('./test-fake');
    const server = new FakeServer(
      'server.1=10.0.0.1:2888:3888:participant;0.0.0.0:2181\nserver.2=10.0.0.2:2888:3888:participant;2182\nserver.3=10.0.0.3:2888:3888:observer\nversion=100000000',
    );
    const h = await connectedCli({ cliVersion: '3.8.0-test' }, server);
    expect(await h.run('config')).toEqual([
      'server.1=10.0.0.1:2888:3888:participant;0.0.0.0:2181',
      'server.2=10.0.0.2:2888:3888:participant;2182',
      'server.3=10.0.0.3:2888:3888:observer',
      'version=100000000',
    ]);
    // Java iterates java.util.Properties in hash order: server.2, server.1, server.3.
    expect(await h.run('config -c')).toEqual(['100000000 0.0.0.0:2182,0.0.0.0:2181,']);
    expect(await h.run('version', 'version x')).toEqual(['ZooKeeper CLI version: 3.8.0-test', 'version ']);
  });

  it('config on a standalone server prints an empty line; -c a single space', async () => {
    const h = await connectedCli();
    expect(await h.run('config', 'config -c')).toEqual(['', ' ']);
    expect((await h.run('config -s')).slice(1, 3)).toEqual(['cZxid = 0x0', 'ctime = Sat Nov 21 23:21:00 UTC 2026']);
  });

  it('reconfig parses like zkCli and does nothing without an admin client', async () => {
    const h = await connectedCli();
    expect(await h.run('reconfig')).toEqual([
      'reconfig [-s] [-v version] [[-file path] | [-members serverID=host:port1:port2;port3[,...]*]] | [-add serverId=host:port1:port2;port3[,...]]* [-remove serverId[,...]*]',
    ]);
    expect(await h.run('reconfig -add server.4=h:1:2;3 -remove 1', 'reconfig -file f -add x', 'reconfig -v zz -remove 1')).toEqual([
      "Can't use -file or -members together with -add or -remove (mixing incremental and non-incremental modes is not allowed)",
      '-v must be followed by a long (configuration version)',
    ]);
  });

  it('reconfig calls an admin client and prints the new configuration', async () => {
    const h = await connectedCli();
    const seen: unknown[] = [];
    Object.assign(h.clients[0]!, {
      reconfig: async (joining: string | null, leaving: string | null, members: string | null, from: bigint) => {
        seen.push([joining, leaving, members, from]);
        return { data: new TextEncoder().encode('server.1=a:1:2;3\nversion=200000000'), stat: (await h.clients[0]!.exists('/', false))! };
      },
    });
    expect(await h.run('reconfig -add SERVER.4=H:1:2;3 -remove 1 -v 1f')).toEqual([
      'Committed new configuration:',
      'server.1=a:1:2;3',
      'version=200000000',
    ]);
    expect(seen).toEqual([['server.4=h:1:2;3', '1', null, 31n]]);
  });

  it('close ends the session; commands then print Not connected', async () => {
    const h = await connectedCli();
    expect(await h.run('close', 'ls /', 'close')).toEqual([
      '',
      'WATCHER::',
      '',
      'WatchedEvent state:Closed type:None path:null',
      'Not connected',
      'Not connected',
    ]);
  });
});
