// The cluster controls reach the single-tab ensemble's controller through context (null in a
// standalone tab).
import { createContext, useContext } from 'react';
import type { ClusterController } from '../cluster-controller';

export const ClusterContext = createContext<ClusterController | null>(null);

export function useClusterController(): ClusterController | null {
  return useContext(ClusterContext);
}
