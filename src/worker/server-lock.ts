// One server per (cluster, myid) across all tabs: its worker holds a Web Lock named after the
// database while it runs, so a second tab with the same myid waits instead of corrupting the log.

/** Resolves with a release function once the lock is held; calls `onWaiting` if another holder exists. */
export function acquireServerLock(name: string, onWaiting: () => void): Promise<() => void> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks === undefined) return Promise.resolve(() => undefined);
  return new Promise((resolve, reject) => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const request = (ifAvailable: boolean): Promise<boolean> =>
      locks.request(name, { ifAvailable }, async (lock): Promise<boolean> => {
        if (lock === null) return false;
        resolve(release);
        await held;
        return true;
      }) as unknown as Promise<boolean>;
    request(true)
      .then((got) => {
        if (got) return;
        onWaiting();
        request(false).catch(reject);
      })
      .catch(reject);
  });
}
