// One process owns an embedded data folder. PGlite keeps no lock of its own, and two processes
// writing one folder corrupt it (each caches pages the other rewrites), so the folder is locked at
// open with a kernel lock on a file inside it: the kernel drops it when the process ends, however
// it ends (kill -9 too), so a crash never leaves the folder stuck. The lock is taken on an open
// file description (F_OFD_SETLK on Linux, flock on macOS): a second open in the same process is
// refused as well.
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { tryLock } from 'fs-native-extensions';

export const LOCK_FILE = 'creditmeter.lock';

/** Another process holds the folder: the message names it, for the one line a refused start prints. */
export class DataFolderInUse extends Error {
  override name = 'DataFolderInUse';
}

/** Locks `dataDir` for this process, or throws DataFolderInUse at once. Resolves to the release. */
export function lockDataFolder(dataDir: string, now: Date): () => void {
  const path = join(dataDir, LOCK_FILE);
  const fd = openSync(path, 'a+');
  let granted: boolean;
  try {
    granted = tryLock(fd);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  if (!granted) {
    closeSync(fd);
    throw new DataFolderInUse(`the data folder ${dataDir} is in use by ${holder(path)}; stop that process first (one process owns an embedded store)`);
  }
  // Who holds it, for the refusal above; the lock itself is the kernel's, not this text.
  ftruncateSync(fd, 0);
  writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: now.toISOString() }), 0);
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
