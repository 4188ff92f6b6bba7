// The shell itself: usage, history, redo, printwatches, connect/close/quit, prompt, completion,
// one-shot mode.
import { describe, expect, it } from 'vitest';
import { FakeServer } from './test-fake';
import { connectedCli } from './test-harness';
import { ZkCli } from './zk-cli';

const USAGE = [
  'ZooKeeper -server host:port -client-configuration properties-file cmd args',
  '\taddWatch [-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] - default is PERSISTENT_RECURSIVE',
  '\taddauth scheme auth',
  '\tclose ',
  '\tconfig [-c] [-w] [-s]',
  '\tconnect host:port',
  '\tcreate [-s] [-e] [-c] [-t ttl] path [data] [acl]',
  '\tdelete [-v version] path',
  '\tdeleteall path [-b batch size]',
  '\tdelquota [-n|-b|-N|-B] path',
  '\tget [-s] [-w] path',
  '\tgetAcl [-s] path',
  '\tgetAllChildrenNumber path',
  '\tgetEphemerals path',
  '\thistory ',
  '\tlistquota path',
  '\tls [-s] [-w] [-R] path',
  '\tprintwatches on|off',
  '\tquit ',
  '\treconfig [-s] [-v version] [[-file path] | [-members serverID=host:port1:port2;port3[,...]*]] | [-add serverId=host:port1:port2;port3[,...]]* [-remove serverId[,...]*]',
  '\tredo cmdno',
  '\tremovewatches path [-c|-d|-a] [-l]',
  '\tset [-s] [-v version] path data',
  '\tsetAcl [-s] [-v version] [-R] path acl',
  '\tsetquota -n|-b|-N|-B val path',
  '\tstat [-w] path',
  '\tsync path',
  '\tversion ',
  '\twhoami ',
];

describe('unknown commands', () => {
  it('print the usage listing and the doubled "Command not found" message, exit code 127', async () => {
    const h = await connectedCli();
    expect(await h.run('foo')).toEqual([...USAGE, 'Command not found: Command not found foo']);
    expect(h.err).toHaveLength(USAGE.length + 1);
    expect(h.cli.exitCode).toBe(127);
    await h.run('ls /');
    expect(h.cli.exitCode).toBe(0);
  });

  it('a line of spaces is the command " "; an empty line is ignored; a lone quote re-runs', async () => {
    const h = await connectedCli();
    expect((await h.run('   ')).slice(-1)).toEqual(['Command not found: Command not found  ']);
    expect(await h.run('')).toEqual([]);
    expect(h.cli.commandCount).toBe(1);
    expect(await h.run('ls /', '"')).toEqual(['[zookeeper]', '[zookeeper]']);
  });
});

describe('history and redo', () => {
  it('matches a captured zkCli session', async () => {
    const h = await connectedCli();
    await h.run('printwatches', 'printwatches off', 'printwatches', 'printwatches maybe', 'printwatches', 'printwatches on');
    await h.run('create /a hello');
    expect(await h.run('get -w /a', 'set /a again')).toEqual([
      'hello',
      '',
      'WATCHER::',
      '',
      'WatchedEvent state:SyncConnected type:NodeDataChanged path:/a',
    ]);
    expect(await h.run('redo', 'redo 99', 'redo -1', 'redo 7', 'redo 9', 'history')).toEqual([
      'Command index out of range',
      'Command index out of range',
      'again',
      'No redoing redos',
      '4 - printwatches',
      '5 - printwatches on',
      '6 - create /a hello',
      '7 - get -w /a',
      '8 - set /a again',
      '9 - redo',
      '10 - redo 99',
      '11 - redo -1',
      '12 - get -w /a',
      '13 - redo 9',
      '14 - history',
    ]);
    expect(await h.run('redo 0x3', 'printwatches', 'redo 10')).toEqual(['printwatches is off', 'No redoing redos']);
    expect(await h.run('redo abc')).toEqual(['Exception in thread "main" java.lang.NumberFormatException: For input string: "abc"']);
  });

  it('history and printwatches still print "Not connected" after close', async () => {
    const h = await connectedCli();
    await h.run('printwatches off', 'close');
    expect(await h.run('ls /', 'history', 'printwatches')).toEqual([
      'Not connected',
      '0 - printwatches off',
      '1 - close',
      '2 - ls /',
      '3 - history',
      'Not connected',
      'printwatches is off',
      'Not connected',
    ]);
    expect(await h.run('connect', 'ls /')).toEqual(['[zookeeper]']);
    expect(h.clients).toHaveLength(2);
  });

  it('shows only the last eleven entries', async () => {
    const h = await connectedCli();
    for (let i = 0; i < 15; i++) await h.run(`sync /`);
    const shown = await h.run('history');
    expect(shown[0]).toBe('5 - sync /');
    expect(shown).toHaveLength(11);
  });
});

describe('connect, close, quit, prompt', () => {
  it('open prints the banner line and the connection event', async () => {
    const server = new FakeServer();
    const lines: string[] = [];
    const cli = new ZkCli({ print: (l) => lines.push(l), printErr: (l) => lines.push(l), connect: (_a, w) => server.connect(w) });
    await cli.open('127.0.0.1:2181');
    expect(lines).toEqual(['Connecting to 127.0.0.1:2181', '', 'WATCHER::', '', 'WatchedEvent state:SyncConnected type:None path:null']);
    expect(cli.prompt()).toBe('[zk: 127.0.0.1:2181(CONNECTED) 0] ');
  });

  it('connect closes the old session first and switches host', async () => {
    const h = await connectedCli();
    await h.run('printwatches off', 'create -e /e');
    await h.run('connect 10.0.0.1:2181');
    expect(h.clients[0]!.getState()).toBe('CLOSED');
    expect(await h.run('ls /')).toEqual(['[zookeeper]']);
    expect(h.cli.prompt()).toBe('[zk: 10.0.0.1:2181(CONNECTED) 4] ');
    await h.run('close');
    expect(h.cli.prompt()).toBe('[zk: 10.0.0.1:2181(CLOSED) 5] ');
  });

  it('quit closes the session and calls onQuit', async () => {
    const h = await connectedCli();
    expect(await h.run('quit')).toEqual(['', 'WATCHER::', '', 'WatchedEvent state:Closed type:None path:null']);
    expect(h.quits).toEqual([0]);
  });

  it('a failing connect factory is reported, not thrown', async () => {
    const lines: string[] = [];
    const cli = new ZkCli({
      print: (l) => lines.push(l),
      printErr: (l) => lines.push(l),
      connect: () => {
        throw new Error('A HostProvider may not be empty!');
      },
    });
    await cli.open('');
    await cli.execute('ls /');
    expect(lines).toEqual(['Connecting to ', 'A HostProvider may not be empty!', 'Not connected']);
  });
});

describe('one-shot mode', () => {
  it('runs argv words as given, without history', async () => {
    const h = await connectedCli();
    await h.cli.executeArgs(['create', '/a b', 'x y']);
    expect(await h.run('ls /', 'history')).toEqual(['[a b, zookeeper]', '0 - ls /', '1 - history']);
  });
});

describe('completion', () => {
  it('completes command names from the start of the last word', async () => {
    const h = await connectedCli();
    expect(await h.cli.completions('ge')).toEqual({
      from: 0,
      candidates: ['get', 'getAcl', 'getAllChildrenNumber', 'getEphemerals'],
    });
    expect(await h.cli.completions('ls /a ')).toEqual({ from: 6, candidates: h.cli['table'].names() });
  });

  it('completes znode names under the parent of the typed path', async () => {
    const h = await connectedCli();
    await h.run('create /app', 'create /apple', 'create /app/x1', 'create /app/x2', 'create /b');
    expect(await h.cli.completions('ls /ap')).toEqual({ from: 4, candidates: ['app', 'apple'] });
    expect(await h.cli.completions('get /app/x')).toEqual({ from: 9, candidates: ['x1', 'x2'] });
    expect(await h.cli.completions('get /')).toEqual({ from: 5, candidates: ['app', 'apple', 'b', 'zookeeper'] });
    expect(await h.cli.completions('get /zz')).toEqual({ from: 7, candidates: [] });
    expect(await h.cli.completions('get /nope/x')).toEqual({ from: 0, candidates: [] });
  });
});

describe('serialization', () => {
  it('runs overlapping execute() calls one after another', async () => {
    const h = await connectedCli();
    await Promise.all([h.cli.execute('create /a'), h.cli.execute('create /a/b'), h.cli.execute('ls /a')]);
    expect(h.all).toEqual(['Created /a', 'Created /a/b', '[b]']);
  });
});
