// Multi-tab mode (`?mode=tabs`): where a client session of this tab connects. "server<own>:2181"
// is this tab's server worker (a MessagePort, as in the other modes); "serverN:2181" for another
// N is the server in N's tab, reached through a client tunnel over the WebRTC link between the two
// tabs (src/net/client-tunnel.ts). The connect string lists every voter, this tab's own server
// first, so the session fails over across tabs and keeps its id, ephemerals and watches.
import type { ByteStream, Connector } from '../net/byte-stream';
import type { ServerId } from '../zk/types';
import { quorumSpec, serverIdOfAddress } from './cluster-model';

export interface TabsConnectorOptions {
  selfId: ServerId;
  /** A connection to this tab's own server; throws or rejects when it is down. */
  local(address: string): Promise<ByteStream>;
  /** A tunnelled connection to the server in `peer`'s tab; absent: only the own server is reachable. */
  remote?(peer: ServerId, who: string): Promise<ByteStream>;
}

/** A Connector for one client of this tab (`who`: 'page', 'zkCli'), as ClusterController.connector. */
export function tabsConnector(options: TabsConnectorOptions, who: string): Connector {
  return async (address) => {
    const myid = serverIdOfAddress(address);
    if (myid === null) throw new Error(`${address} is not a server of this cluster (use serverN:port)`);
    if (myid === options.selfId) return options.local(address);
    if (options.remote === undefined) throw new Error(`server${myid} runs in another tab, which this tab cannot reach`);
    return options.remote(myid, who);
  };
}

/**
 * The connect string of this tab's sessions: its own server, then the other voters in order
 * (the real client shuffles the list; the own server first keeps the default predictable and the
 * first connection local). An observer tab lists itself first too: it serves clients.
 */
export function tabsConnectString(selfId: ServerId, size: number, clientPort = 2181): string {
  const others = quorumSpec(size).voters.filter((id) => id !== selfId);
  return [selfId, ...others].map((id) => `server${id}:${clientPort}`).join(',');
}
