// One process owns an embedded data folder. PGlite keeps no lock of its own, and two processes
// writing one folder corrupt it (each caches pages the other rewrites), so the folder is locked at
// open with a kernel lock on a file inside it: the kernel drops it when the process ends, however
// it ends (kill -9 too), so a crash never leaves the folder stuck. The lock is taken on an open
// file description (F_OFD_SETLK on Linux, flock on macOS): a second open in the same process is
// refused as well.
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { tryLock } from 'fs-native-extensions';

export const LOCK_FILE = 'creditmeter.lock';

/** The folder cannot be used as a store: another process holds it, or it cannot be opened for writing. */
export class DataFolderUnavailable extends Error {
  override name = 'DataFolderUnavailable';
}

/** Creates `dataDir` if need be and locks it for this process, or throws DataFolderUnavailable at once. Returns the release. */
export function lockDataFolder(dataDir: string, now: Date): () => void {
  const path = join(dataDir, LOCK_FILE);
  let fd: number;
  try {
    mkdirSync(dataDir, { recursive: true });
    fd = openSync(path, 'a+');
  } catch (error) {
    throw new DataFolderUnavailable(`the data folder ${dataDir} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): the server keeps its store there`);
  }
  try {
    if (!tryLock(fd)) {
      throw new DataFolderUnavailable(`the data folder ${dataDir} is in use by ${holder(path)}; stop that process first (one process owns an embedded store)`);
    }
    // Who holds it, for the refusal above; the lock itself is the kernel's, not this text.
    ftruncateSync(fd, 0);
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: now.toISOString() }), 0);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    closeSync(fd);
  };
}

function holder(path: string): string {
  try {
    const { pid, host, since } = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown; host?: unknown; since?: unknown };
    return `process ${String(pid)} on ${String(host)} (since ${String(since)})`;
  } catch {
    // The holder has not written its name yet (it locks, then writes).
    return 'another process';
  }
}
