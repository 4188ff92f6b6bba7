// Quota commands: the nodes zkCli creates under /zookeeper/quota and its exact messages.
import { describe, expect, it } from 'vitest';
import { connectedCli } from './test-harness';

describe('quota commands', () => {
  it('setquota creates limits and stats nodes; listquota shows both', async () => {
    const h = await connectedCli();
    await h.run('create /q', 'create /q/r', 'create /q/r/s');
    expect(await h.run('listquota', 'listquota /q')).toEqual([
      'listquota path',
      'absolute path is /zookeeper/quota/q/zookeeper_limits',
      'quota for /q does not exist.',
    ]);
    expect(await h.run('setquota -n 2 /q')).toEqual(['[Warning]: the count quota you create is less than the existing count:3']);
    expect(await h.run('ls -R /zookeeper/quota')).toEqual([
      '/zookeeper/quota',
      '/zookeeper/quota/q',
      '/zookeeper/quota/q/zookeeper_limits',
      '/zookeeper/quota/q/zookeeper_stats',
    ]);
    expect(await h.run('setquota -N 1 /q', 'setquota -B 3 /q', 'listquota /q')).toEqual([
      '[Warning]: the count quota you create is less than the existing count:3',
      '[Warning]: the count quota you create is less than the existing count:3',
      'absolute path is /zookeeper/quota/q/zookeeper_limits',
      'Output quota for /q count=2,bytes=-1=;byteHardLimit=3;countHardLimit=1',
      'Output stat for /q count=3,bytes=0',
    ]);
    expect(await h.run('get /zookeeper/quota/q/zookeeper_limits')).toEqual(['count=2,bytes=-1=;byteHardLimit=3;countHardLimit=1']);
  });

  it('setquota option errors', async () => {
    const h = await connectedCli();
    await h.run('create /q');
    const missing =
      'org.apache.commons.cli.MissingOptionException: Missing required option: [-n num soft quota, -b bytes soft quota, -N num hard quota, -B bytes hard quota]';
    expect(
      await h.run(
        'setquota',
        'setquota /q',
        'setquota -n 5 -b 10 /q',
        'setquota -n x /q',
        'setquota -n 0 /q',
        'setquota -b -1 /q',
        'setquota -n',
      ),
    ).toEqual([
      missing,
      missing,
      "org.apache.commons.cli.AlreadySelectedException: The option 'b' was specified but an option from this group has already been selected: 'n'",
      'NumberFormatException happens when parsing the option value',
      'the num quota must be greater than zero',
      'the bytes quota must be greater than or equal to zero',
      'org.apache.commons.cli.MissingArgumentException: Missing argument for option: n',
    ]);
    expect(await h.run('setquota -n 1 /q')).toEqual([]);
  });

  it('setquota path errors: parent/child quotas, root, missing, reserved, relative', async () => {
    const h = await connectedCli();
    await h.run('create /q', 'create /q/r', 'create /p', 'create /p/c', 'setquota -n 9 /q', 'setquota -n 9 /p/c');
    expect(
      await h.run(
        'setquota -n 4 /q/r',
        'setquota -n 4 /p',
        'setquota -n 4 /',
        'setquota -n 4 /nope',
        'setquota -n 3 /zookeeper/quota/x',
        'setquota -n 3 q',
      ),
    ).toEqual([
      '/q/r has a parent /q which has a quota',
      '/p has a child /p/c which has a quota',
      'Path must not end with / character',
      '/nope does not exist.',
      'cannot set a quota under the path: /zookeeper/quota',
      'Path must start with / character',
    ]);
  });

  it('delquota resets chosen limits or removes the quota and trims empty parents', async () => {
    const h = await connectedCli();
    await h.run('create /q', 'create /q/r', 'setquota -n 2 /q/r', 'setquota -B 5 /q/r');
    expect(await h.run('delquota -n /q/r', 'listquota /q/r')).toEqual([
      'absolute path is /zookeeper/quota/q/r/zookeeper_limits',
      'Output quota for /q/r count=-1,bytes=-1=;byteHardLimit=5;countHardLimit=-1',
      'Output stat for /q/r count=1,bytes=0',
    ]);
    expect(await h.run('delquota -n -b /q/r')).toEqual([
      "org.apache.commons.cli.AlreadySelectedException: The option 'b' was specified but an option from this group has already been selected: 'n'",
    ]);
    expect(await h.run('delquota /q/r', 'ls -R /zookeeper/quota')).toEqual(['/zookeeper/quota']);
    expect(await h.run('delquota /q/r', 'delquota', 'delquota x', 'listquota x')).toEqual([
      'Quota does not exist for /q/r',
      'delquota [-n|-b|-N|-B] path',
      'Quota does not exist for x',
      'absolute path is /zookeeper/quotax/zookeeper_limits',
      'quota for x does not exist.',
    ]);
  });
});
