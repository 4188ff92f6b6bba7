// Node commands against the fake, with the exact text Apache zkCli 3.8 prints (captured from
// Debian's zookeeper 3.8.0 zkCli.sh against a real server).
import { describe, expect, it } from 'vitest';
import { connectedCli, statBlock } from './test-harness';

describe('ls', () => {
  it('lists sorted children as a Java list', async () => {
    const h = await connectedCli();
    await h.run('create /b', 'create /a', 'create /a/x');
    expect(await h.run('ls /')).toEqual(['[a, b, zookeeper]']);
    expect(await h.run('ls /a/x')).toEqual(['[]']);
  });

  it('ls -s prints the children then the Stat', async () => {
    const h = await connectedCli();
    await h.run('create /a', 'create /a/x');
    expect(await h.run('ls -s /a')).toEqual(['[x]', ...statBlock({ czxid: '0x1', pzxid: '0x2', cversion: 1, numChildren: 1 })]);
  });

  it('ls -R walks depth first, each level sorted', async () => {
    const h = await connectedCli();
    await h.run('create /q', 'create /q/r', 'create /q/b', 'create /q/r/s');
    expect(await h.run('ls -R /q')).toEqual(['/q', '/q/b', '/q/r', '/q/r/s']);
    expect(await h.run('ls -R /')).toEqual([
      '/',
      '/q',
      '/zookeeper',
      '/q/b',
      '/q/r',
      '/q/r/s',
      '/zookeeper/config',
      '/zookeeper/quota',
    ]);
    expect(await h.run('ls -R /nope', 'ls -R x')).toEqual(['Node does not exist: /nope', 'Path must start with / character']);
  });

  it('ls with no path prints its usage; -? prints the help first', async () => {
    const h = await connectedCli();
    expect(await h.run('ls')).toEqual(['ls [-s] [-w] [-R] path']);
    expect(await h.run('ls -?')).toEqual([
      'usage: ls [options] path',
      ' -?   help',
      ' -R   recurse',
      ' -s   stat',
      ' -w   watch',
      'ls [-s] [-w] [-R] path',
    ]);
    expect(h.cli.exitCode).toBe(1);
  });

  it("old 'ls path watch' warns and sets a watch", async () => {
    const h = await connectedCli();
    expect(await h.run('ls / extra')).toEqual([
      "'ls path [watch]' has been deprecated. Please use 'ls [-w] path' instead.",
      '[zookeeper]',
    ]);
    expect(await h.run('create /n')).toEqual([
      'Created /n',
      '',
      'WATCHER::',
      '',
      'WatchedEvent state:SyncConnected type:NodeChildrenChanged path:/',
    ]);
  });

  it('rejects unknown options like commons-cli', async () => {
    const h = await connectedCli();
    expect(await h.run('ls -x /')).toEqual(['org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -x']);
    expect(await h.run('ls -sw /zookeeper')).toEqual(['[config, quota]', ...statBlock({ czxid: '0x0', cversion: -2, numChildren: 2 })]);
  });
});

describe('create', () => {
  it('prints Created on stderr, with the sequential name', async () => {
    const h = await connectedCli();
    expect(await h.run('create /a hello')).toEqual(['Created /a']);
    expect(h.err).toEqual(['Created /a']);
    expect(await h.run('create -s /seq- d', 'create -s /seq- d')).toEqual(['Created /seq-0000000001', 'Created /seq-0000000002']);
    expect(await h.run('create /a')).toEqual(['Node already exists: /a']);
    expect(await h.run('create /x/y')).toEqual(['Node does not exist: /x/y']);
  });

  it('checks option combinations in zkCli order', async () => {
    const h = await connectedCli();
    expect(
      await h.run('create', 'create -c -s /c', 'create -t abc /t', 'create -t 100 -e /t', 'create -t 100 -c /t', 'create -t 0 /t'),
    ).toEqual([
      'create [-s] [-e] [-c] [-t ttl] path [data] [acl]',
      '-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.',
      '-t argument must be a long value',
      'TTLs cannot be used with Ephemeral znodes',
      'TTLs cannot be used with Container znodes',
      'ttl must be positive and cannot be larger than: 1099511627775',
    ]);
    expect(await h.run('create -t 100 /t', 'create -t')).toEqual([
      'Created /t',
      'org.apache.commons.cli.MissingArgumentException: Missing argument for option: t',
    ]);
    expect(h.clients[0]!.calls).toContain('create /t mode=5 ttl=100');
  });

  it('validates paths like the Java client', async () => {
    const h = await connectedCli();
    expect(await h.run('create a', 'create /a/', 'create /a//b', 'create /a/./b', 'create -s /seq/')).toEqual([
      'Path must start with / character',
      'Path must not end with / character',
      'Invalid path string "/a//b" caused by empty node name specified @3',
      'Invalid path string "/a/./b" caused by relative paths not allowed @3',
      'Node does not exist: /seq/',
    ]);
  });

  it('strips quotes and splits words as zkCli does', async () => {
    const h = await connectedCli();
    await h.run("create /qq 'a b' ", 'create /qq2 "it\'s"', 'create /qq4 "abc');
    expect(await h.run('get /qq', 'get /qq2', 'get /qq4')).toEqual(['a b', "it's", 'abc']);
    expect(await h.run('create /qq3 a"b c"')).toEqual([
      'c" does not have the form scheme:id:perm',
      'KeeperErrorCode = InvalidACL',
      'Acl is not valid : null',
    ]);
  });

  it('data that looks like an option is rejected, a negative number too', async () => {
    const h = await connectedCli();
    expect(await h.run('create /a -1')).toEqual(['org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -1']);
    expect(await h.run('create -- /a -1', 'get /a')).toEqual(['Created /a', '-1']);
  });

  it('creates ephemeral and container nodes with their owners', async () => {
    const h = await connectedCli();
    await h.run('create -e /e1', 'create -c /cont');
    expect((await h.run('stat /e1'))[8]).toBe('ephemeralOwner = 0x100000000000000');
    expect(await h.run('create /e1/child')).toEqual(['Ephemerals cannot have children: /e1/child']);
  });
});

describe('get and set', () => {
  it('prints data, null for none, and the Stat with -s', async () => {
    const h = await connectedCli();
    await h.run('create /a hello', 'create /nd', 'create /emp ""');
    expect(await h.run('get /a', 'get /nd', 'get /emp')).toEqual(['hello', 'null', '']);
    expect(await h.run('get -s /a')).toEqual(['hello', ...statBlock({ czxid: '0x1', dataLength: 5 })]);
    expect(await h.run('get', 'get /nope')).toEqual(['get [-s] [-w] path', 'Node does not exist: /nope']);
  });

  it('prints multi-line data as several lines (a quoted newline keeps its quotes, as in Java)', async () => {
    const h = await connectedCli();
    await h.run('create /m "line1\nline2"');
    expect(await h.run('get /m')).toEqual(['"line1', 'line2"']);
  });

  it("old 'get path watch' overwrites the third word with -w", async () => {
    const h = await connectedCli();
    await h.run('create /b x');
    expect(await h.run('get -s /b x')).toEqual([
      "'get path [watch]' has been deprecated. Please use 'get [-s] [-w] path' instead.",
      'Path must start with / character',
    ]);
  });

  it('set with versions, -s and misplaced options', async () => {
    const h = await connectedCli();
    await h.run('create /b v1');
    expect(await h.run('set /b', 'set -v /b v4')).toEqual(['set [-s] [-v version] path data', 'set [-s] [-v version] path data']);
    expect(await h.run('set -v 9 /b v2')).toEqual(['version No is not valid : /b']);
    expect(await h.run('set /b v2 -s')).toEqual([...statBlock({ czxid: '0x1', mzxid: '0x2', version: 1, dataLength: 2 })]);
    expect(await h.run('set -v 1 /b v3', 'set -v -1 /b v4', 'get /b')).toEqual(['v4']);
    expect(await h.run('set -v -s /b x')).toEqual(['org.apache.commons.cli.MissingArgumentException: Missing argument for option: v']);
  });

  it('an unparsable version is an uncaught NumberFormatException', async () => {
    const h = await connectedCli();
    await h.run('create /b v1');
    expect(await h.run('set -v abc /b x')).toEqual(['Exception in thread "main" java.lang.NumberFormatException: For input string: "abc"']);
    expect(await h.run('delete -v x /b')).toEqual(['Exception in thread "main" java.lang.NumberFormatException: For input string: "x"']);
    expect(h.cli.exitCode).toBe(1);
    expect(await h.run('get /b')).toEqual(['v1']);
  });

  it('reports NoAuth as zkCli does', async () => {
    const h = await connectedCli();
    await h.run('create /r x world:anyone:r');
    expect(await h.run('set /r y')).toEqual(['Insufficient permission : /r']);
  });
});

describe('delete and deleteall', () => {
  it('delete: usage, NoNode, BadVersion, NotEmpty, old syntax', async () => {
    const h = await connectedCli();
    await h.run('create /b', 'create /p', 'create /p/c');
    expect(await h.run('delete', 'delete /nope', 'delete -v 5 /b', 'delete /p')).toEqual([
      'delete [-v version] path',
      'Node does not exist: /nope',
      'version No is not valid : /b',
      'Node not empty: /p',
    ]);
    expect(await h.run('delete /b 3', 'ls /')).toEqual([
      "'delete path [version]' has been deprecated. Please use 'delete [-v version] path' instead.",
      '[p, zookeeper]',
    ]);
    expect(await h.run('delete -v 0 /p/c', 'ls /p')).toEqual(['[]']);
  });

  it('deleteall removes a subtree leaves first, in batches', async () => {
    const h = await connectedCli();
    await h.run('create /p', 'create /p/a', 'create /p/a/x', 'create /p/b');
    expect(await h.run('deleteall /p -b 2', 'ls /')).toEqual(['[zookeeper]']);
    expect(h.clients[0]!.calls.filter((c) => c.startsWith('multi'))).toEqual(['multi 2', 'multi 2']);
    expect(await h.run('deleteall /nope', 'deleteall -b x /p', 'deleteall', 'deleteall p')).toEqual([
      'Node does not exist: /nope',
      '-b argument must be an int value',
      'deleteall path [-b batch size]',
      'Path must start with / character',
    ]);
  });

  it('deleteall reports a failed batch', async () => {
    const h = await connectedCli();
    await h.run('create /p', 'create /p/a x world:anyone:rc', 'create /p/a/x');
    expect(await h.run('deleteall /p')).toEqual(['Failed to delete some node(s) in the subtree!']);
    expect(await h.run('ls -R /p')).toEqual(['/p', '/p/a', '/p/a/x']);
  });
});

describe('stat', () => {
  it('prints the Stat, or NoNode', async () => {
    const h = await connectedCli();
    await h.run('create /a hello');
    expect(await h.run('stat /a')).toEqual(statBlock({ czxid: '0x1', dataLength: 5 }));
    expect(await h.run('stat', 'stat /nope')).toEqual(['stat [-w] path', 'Node does not exist: /nope']);
    expect(await h.run('stat /a w')).toEqual([
      "'stat path [watch]' has been deprecated. Please use 'stat [-w] path' instead.",
      ...statBlock({ czxid: '0x1', dataLength: 5 }),
    ]);
  });

  it('formats times in the configured zone', async () => {
    const h = await connectedCli({ timeZone: 'America/Los_Angeles' });
    await h.run('create /a');
    expect((await h.run('stat /a'))[1]).toBe('ctime = Sat Nov 21 15:21:00 PST 2026');
    expect((await h.run('stat /'))[1]).toBe('ctime = Wed Dec 31 16:00:00 PST 1969');
  });
});
