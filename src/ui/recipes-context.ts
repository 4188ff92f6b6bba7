// How the Recipes view opens its sessions: a connector and the connect string the page session
// uses. In cluster modes it is taken from the cluster controller; a standalone tab needs its boot
// code to provide it through this context (its bridge connector is not reachable otherwise).
import { createContext } from 'react';
import type { Connector } from '../net/byte-stream';

export interface RecipeConnection {
  connector(label: string): Connector;
  /** The connect string, e.g. "server1:2181,server2:2181,server3:2181". */
  address: string;
  /** Shuffle the connect string per session so sessions spread over the servers (default true). */
  shuffle?: boolean;
}

export const RecipesConnectionContext = createContext<RecipeConnection | null>(null);
