import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { deleteDatabases } from './wipe-databases';

function open(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('log');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function names(): Promise<string[]> {
  return (await indexedDB.databases()).map((d) => d.name ?? '').sort();
}

describe('deleteDatabases', () => {
  it('deletes the named databases and leaves the others', async () => {
    for (const name of ['zootabs-t1-sim-1', 'zootabs-t1-sim-2', 'keep']) (await open(name)).close();
    expect(await deleteDatabases(['zootabs-t1-sim-1', 'zootabs-t1-sim-2', 'zootabs-t1-sim-3'], indexedDB)).toEqual([]);
    expect(await names()).toEqual(['keep']);
  });

  it('gives up on a database still open elsewhere and says so', async () => {
    const held = await open('held');
    held.onversionchange = () => {}; // a holder that does not close
    const warnings = await deleteDatabases(['held'], indexedDB, 50);
    expect(warnings).toEqual(['database held is still open elsewhere; not deleted']);
    held.close();
  });
});
