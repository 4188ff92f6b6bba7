// CreateMode flags and properties (CreateMode.java).
import { CreateMode } from '../types';

export interface CreateModeInfo {
  mode: CreateMode;
  ephemeral: boolean;
  sequential: boolean;
  container: boolean;
  ttl: boolean;
}

/** CreateMode.fromFlag; null for an unknown flag (Apache throws BadArguments). */
export function createModeFromFlag(flag: number): CreateModeInfo | null {
  switch (flag) {
    case CreateMode.PERSISTENT:
      return info(CreateMode.PERSISTENT, false, false, false, false);
    case CreateMode.EPHEMERAL:
      return info(CreateMode.EPHEMERAL, true, false, false, false);
    case CreateMode.PERSISTENT_SEQUENTIAL:
      return info(CreateMode.PERSISTENT_SEQUENTIAL, false, true, false, false);
    case CreateMode.EPHEMERAL_SEQUENTIAL:
      return info(CreateMode.EPHEMERAL_SEQUENTIAL, true, true, false, false);
    case CreateMode.CONTAINER:
      return info(CreateMode.CONTAINER, false, false, true, false);
    case CreateMode.PERSISTENT_WITH_TTL:
      return info(CreateMode.PERSISTENT_WITH_TTL, false, false, false, true);
    case CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL:
      return info(CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, false, true, false, true);
    default:
      return null;
  }
}

function info(mode: CreateMode, ephemeral: boolean, sequential: boolean, container: boolean, ttl: boolean): CreateModeInfo {
  return { mode, ephemeral, sequential, container, ttl };
}

/** String.format("%010d", n), including Java's form for negatives ("-000000005"). */
export function sequenceSuffix(counter: number): string {
  if (counter < 0) return '-' + String(-counter).padStart(9, '0');
  return String(counter).padStart(10, '0');
}
