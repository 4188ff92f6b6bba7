// Durable-file primitives for FileStorage (Node only).
import { type FileHandle, mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from './storage';

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** writeAll, blocking the thread: an O_DSYNC append of a few hundred bytes takes ~75 µs, less than a thread-pool round trip. */
export function writeAllSync(fd: number, bytes: Uint8Array, position: number): void {
  let written = 0;
  while (written < bytes.length) {
    const bytesWritten = writeSync(fd, bytes, written, bytes.length - written, position + written);
    if (bytesWritten <= 0) throw new StorageError(`write made no progress at byte ${position + written}`);
    written += bytesWritten;
  }
}

/** Writes every byte at `position` (a single write may be short). */
export async function writeAll(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, position + written);
    if (bytesWritten <= 0) throw new StorageError(`write made no progress at byte ${position + written}`);
    written += bytesWritten;
  }
}

/** Makes a directory's entries (created, renamed, deleted files) durable, where the OS can. */
export async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    // Windows and some file systems cannot fsync a directory; there is nothing more to do there.
    const code = errorCode(error);
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF' && code !== 'EACCES') throw error;
  } finally {
    await handle?.close();
  }
}

/** write-temp + fsync + rename + fsync(dir): readers see the old or the new content, never a mix. */
export async function writeFileAtomically(directory: string, name: string, bytes: Uint8Array): Promise<void> {
  const finalPath = join(directory, name);
  const tempPath = finalPath + '.tmp';
  const handle = await open(tempPath, 'w');
  try {
    await writeAll(handle, bytes, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tempPath, finalPath);
  await syncDirectory(directory);
}

export async function ensureDirectory(directory: string): Promise<void> {
  await mkdir(directory, { recursive: true });
}

export async function listNames(directory: string): Promise<string[]> {
  try {
    return await readdir(directory);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  }
}

export async function unlinkIfExists(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

export function isNotFound(error: unknown): boolean {
  return errorCode(error) === 'ENOENT';
}
