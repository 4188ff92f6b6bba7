// Deliberately broken servers, to prove the checkers can fail: wrappers around a correct factory
// that each break one promise the real server keeps.
import type { ServerEffect, ServerInput } from '../zk/server-api';
import type { ServerFactory, SimCore } from './server-factory';

/**
 * Acknowledges writes before they are durable: every log append is reported durable to the core at
 * once (so it applies and replies), while the host's disk still writes it later. A power loss then
 * forgets txns clients were told had committed.
 */
export function ackBeforeDurable(inner: ServerFactory): ServerFactory {
  return (boot) => {
    const core = inner(boot);
    const early = new Set<number>();
    const run = (input: ServerInput): ServerEffect[] => {
      const out: ServerEffect[] = [];
      for (const effect of core.step(input)) {
        out.push(effect);
        if (effect.kind !== 'storage.append') continue;
        early.add(effect.batchId);
        out.push(...run({ kind: 'storage.durable', batchId: effect.batchId }));
      }
      return out;
    };
    // The disk's real completion of a batch acknowledged early is swallowed.
    const step = (input: ServerInput): ServerEffect[] =>
      input.kind === 'storage.durable' && early.delete(input.batchId) ? [] : run(input);
    return wrap(core, step);
  };
}

/** Loses the newest committed txn of its log every time it restarts (a recovery that drops data). */
export function dropLastTxnOnRecovery(inner: ServerFactory): ServerFactory {
  return (boot) => {
    const loaded = boot.loaded;
    if (loaded === null || loaded.log.length === 0) return inner(boot);
    return inner({ ...boot, loaded: { ...loaded, log: loaded.log.slice(0, -1) } });
  };
}

function wrap(core: SimCore, step: (input: ServerInput) => ServerEffect[]): SimCore {
  return {
    step,
    get lastProcessedZxid() {
      return core.lastProcessedZxid;
    },
    get tree() {
      return core.tree;
    },
    get sessions() {
      return core.sessions;
    },
  };
}

/** Drops every watch notification it sends (xid -1 frames): clients miss events. */
export function dropWatchNotifications(inner: ServerFactory): ServerFactory {
  return (boot) => {
    const core = inner(boot);
    const step = (input: ServerInput): ServerEffect[] => core.step(input).filter((effect) => !isNotification(effect));
    return wrap(core, step);
  };
}

const NOTIFICATION_XID = -1;

function isNotification(effect: ServerEffect): boolean {
  if (effect.kind !== 'connection.send' || effect.bytes.length < 8) return false;
  const view = new DataView(effect.bytes.buffer, effect.bytes.byteOffset, effect.bytes.byteLength);
  return view.getInt32(4) === NOTIFICATION_XID;
}
