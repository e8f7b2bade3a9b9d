// The API keys this process accepts, held in memory so that checking a key costs no query. Every
// key change is NOTIFYed: each process reloads the keys when one arrives (a revoked key stops
// working everywhere within the notification's milliseconds), and every few seconds anyway, in
// case a notification was missed while the listening connection was down.
import { hash } from 'node:crypto';
import type { Logger } from 'pino';
import { type ApiKey, BOOTSTRAP_KEY } from '../domain/access/ApiKey';
import type { Database } from '../store/Database';
import { API_KEY_CHANGES, readActiveKeys, touchKeys } from '../store/apiKeys';

/** A key's stored form: SHA-256, hex. Keys are long random strings, so a fast hash is the right one. */
export const keyHash = (key: string) => hash('sha256', key, 'hex');

const RELOAD_EVERY_MS = 5_000;
/** Last use is written at most this often per key: it is for people, not for accounting. */
const TOUCH_EVERY_MS = 60_000;

export class ApiKeyRing {
  private keys = new Map<string, ApiKey>();
  private readonly bootstrapHash: string;
  private readonly used = new Map<string, number>();
  private stopListening: (() => Promise<void>) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    bootstrapKey: string,
    private readonly log: Logger,
  ) {
    this.bootstrapHash = keyHash(bootstrapKey);
  }

  async start(): Promise<void> {
    await this.reload();
    this.stopListening = await this.db.listen(API_KEY_CHANGES, {
      onMessage: () => void this.reload(),
      onLost: () => undefined,
      onListening: () => void this.reload(),
    });
    this.timer = setInterval(() => void this.reload(), RELOAD_EVERY_MS);
    this.timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.stopListening?.();
    await this.loading;
  }

  /** The key `secret` is, if this process accepts it. Digests are compared, never keys: no timing tells a key. */
  find(secret: string): ApiKey | undefined {
    const digest = keyHash(secret);
    if (digest === this.bootstrapHash) return BOOTSTRAP_KEY;
    const key = this.keys.get(digest);
    if (key) this.noteUse(key.id);
    return key;
  }

  /**
   * Reads the keys afresh, after any read under way (which may have begun before the change that
   * asks for this one). A change made by this process awaits it before its answer goes out.
   */
  reload(): Promise<void> {
    const loading = (this.loading ?? Promise.resolve())
      .then(() => readActiveKeys(this.db))
      .then((keys) => {
        this.keys = keys;
      })
      .catch((error: unknown) => this.log.error({ err: error }, 'reading the API keys failed; keeping the ones known'));
    this.loading = loading;
    void loading.finally(() => {
      if (this.loading === loading) this.loading = undefined;
    });
    return loading;
  }

  private noteUse(id: string): void {
    const now = Date.now();
    if (now - (this.used.get(id) ?? 0) < TOUCH_EVERY_MS) return;
    this.used.set(id, now);
    touchKeys(this.db, [id], new Date(now)).catch((error: unknown) => this.log.warn({ err: error }, 'noting an API key as used failed'));
  }
}
