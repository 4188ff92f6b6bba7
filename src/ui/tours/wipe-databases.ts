// Deletes the IndexedDB databases of a previous tour run, so runs do not pile up storage. A delete
// that stays blocked (a tab still has the database open) is given up after a while and reported:
// the new run uses a fresh cluster name, so its servers start empty either way.
export const WIPE_TIMEOUT_MS = 10_000;

/** Deletes each database; returns warnings for those that could not be deleted. */
export async function deleteDatabases(names: readonly string[], factory: IDBFactory, timeoutMs = WIPE_TIMEOUT_MS): Promise<string[]> {
  const results = await Promise.all(names.map((name) => deleteOne(name, factory, timeoutMs)));
  return results.filter((w): w is string => w !== null);
}

function deleteOne(name: string, factory: IDBFactory, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (warning: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(warning);
    };
    const timer = setTimeout(() => settle(`database ${name} is still open elsewhere; not deleted`), timeoutMs);
    try {
      const request = factory.deleteDatabase(name);
      request.onsuccess = () => settle(null);
      request.onerror = () => settle(`database ${name} could not be deleted: ${request.error?.message ?? 'unknown error'}`);
    } catch (error) {
      settle(`database ${name} could not be deleted: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}
