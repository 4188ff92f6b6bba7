import { describe, expect, it } from 'vitest';
import { memoryPipe, type ByteStream } from '../net/byte-stream';
import { ClusterController } from './cluster-controller';
import { FakeWorker } from './fake-worker.test-helpers';
import { createAppStore } from './store';
import type { TabMembership } from './tab-membership';
import { tabsConnector, tabsConnectString } from './tabs-connector';
import { parseTabParams } from './url-params';

function fakeStream(): ByteStream {
  return memoryPipe()[0];
}

describe('tabsConnector', () => {
  it('sends the own server to the local worker and the others through the tunnel, naming the client', async () => {
    const calls: string[] = [];
    const connector = tabsConnector(
      {
        selfId: 2,
        local: async (address) => (calls.push(`local ${address}`), fakeStream()),
        remote: async (peer, who) => (calls.push(`remote ${peer} ${who}`), fakeStream()),
      },
      'zkCli',
    );
    await connector('server2:2181');
    await connector('server1:2181');
    await connector('server3:2181');
    expect(calls).toEqual(['local server2:2181', 'remote 1 zkCli', 'remote 3 zkCli']);
  });

  it('rejects addresses that are not servers, and other tabs when there is no tunnel', async () => {
    const connector = tabsConnector({ selfId: 1, local: async () => fakeStream() }, 'page');
    await expect(connector('localhost:2181')).rejects.toThrow('localhost:2181 is not a server of this cluster');
    await expect(connector('server3:2181')).rejects.toThrow('server3 runs in another tab');
  });

  it('passes a failing tunnel on as a rejection, so the client tries its next server', async () => {
    const connector = tabsConnector(
      { selfId: 1, local: async () => fakeStream(), remote: () => Promise.reject(new Error('no WebRTC connection to server 2 (idle)')) },
      'page',
    );
    await expect(connector('server2:2181')).rejects.toThrow('no WebRTC connection to server 2');
  });
});

describe('tabsConnectString', () => {
  it('lists every voter, the own server first', () => {
    expect(tabsConnectString(1, 3)).toBe('server1:2181,server2:2181,server3:2181');
    expect(tabsConnectString(2, 3)).toBe('server2:2181,server1:2181,server3:2181');
    expect(tabsConnectString(3, 3, 2888)).toBe('server3:2888,server1:2888,server2:2888');
  });

  it('an observer tab lists itself first, then the voters', () => {
    expect(tabsConnectString(4, 3)).toBe('server4:2181,server1:2181,server2:2181,server3:2181');
  });
});

describe('ClusterController.connector in multi-tab mode', () => {
  function controllerWith(openClient: TabMembership['openClient']) {
    const base = parseTabParams('?cluster=t&size=3&mode=tabs&tickTime=200');
    const params = { ...base, identity: { ...base.identity, myid: 2 } };
    const membership: TabMembership = {
      myid: 2,
      role: 'participant',
      handleWorkerMessage: () => false,
      setWorker: () => undefined,
      resetLinks: () => undefined,
      leave: () => undefined,
      ...(openClient === undefined ? {} : { openClient }),
    };
    const worker = new FakeWorker();
    const controller = new ClusterController(createAppStore(params), params, { membership, createWorker: () => worker });
    controller.startAll();
    return { controller, worker };
  }

  it('connects the own server through the worker and the other servers through the membership tunnel', async () => {
    const remote: string[] = [];
    const { controller, worker } = controllerWith(async (peer, who) => (remote.push(`${peer}:${who}`), fakeStream()));
    const connect = controller.connector('zkCli');
    const local = await connect('server2:2181');
    expect(worker.posted.filter((m) => m.type === 'connect')).toHaveLength(1);
    expect(worker.posted.find((m) => m.type === 'connect')).toMatchObject({ remoteAddress: 'zkCli' });
    await connect('server3:2181');
    await connect('server1:2181');
    expect(remote).toEqual(['3:zkCli', '1:zkCli']);
    expect(worker.posted.filter((m) => m.type === 'connect')).toHaveLength(1);
    local.close();
  });

  it('the own server killed refuses, while other tabs stay reachable', async () => {
    const { controller } = controllerWith(async () => fakeStream());
    controller.kill(2);
    const connect = controller.connector('page');
    await expect(connect('server2:2181')).rejects.toThrow('server2 is down');
    await expect(connect('server1:2181')).resolves.toBeDefined();
  });

  it('without tunnels, other tabs are refused with a clear error', async () => {
    const { controller } = controllerWith(undefined);
    await expect(controller.connector('page')('server1:2181')).rejects.toThrow('server1 runs in another tab');
  });
});
