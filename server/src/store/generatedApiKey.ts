// The API key a server makes for itself when CREDITMETER_API_KEY is unset, kept in the data folder
// so that a restart keeps it: an n8n credential made with it goes on working. Readable by the
// server's user only, like the store beside it.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const API_KEY_FILE = 'api-key';
/** `cm_` and 24 random bytes (192 bits), as every generated key has been. */
const KEY_BYTES = 24;

/** The key kept in `dataDir`, made and kept there on first use; `created` says which. */
export function generatedApiKey(dataDir: string): { key: string; created: boolean } {
  const path = join(dataDir, API_KEY_FILE);
  try {
    const kept = readFileSync(path, 'utf8').trim();
    if (kept.length >= 16) return { key: kept, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = `cm_${randomBytes(KEY_BYTES).toString('base64url')}`;
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': of two first starts (processes on one PostgreSQL), one writes and the other reads it.
    writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { key: readFileSync(path, 'utf8').trim(), created: false };
    throw error;
  }
  chmodSync(path, 0o600);
  return { key, created: true };
}
