// Tells whoever watches an account (a dashboard's live stream) that it changed, from any server
// process: it listens to the same NOTIFY that every committed account change sends.
import { ACCOUNT_CHANGES, changedAccountsIn } from '../store/books';
import type { Database } from '../store/Database';

export interface Watcher {
  changed(): void;
  /** The feed stops (the server shuts down): let go of whatever waits on it. */
  closed(): void;
}

export class AccountChangeFeed {
  private readonly watchers = new Map<string, Set<Watcher>>();
  private stop: (() => Promise<void>) | undefined;

  async start(db: Database): Promise<void> {
    this.stop = await db.listen(ACCOUNT_CHANGES, {
      onMessage: (payload) => {
        for (const id of changedAccountsIn(payload)) this.tell(id);
      },
      onLost: () => undefined,
      // Changes may have been missed while the connection was down: every watcher reads again.
      onListening: () => {
        for (const id of this.watchers.keys()) this.tell(id);
      },
    });
  }

  async close(): Promise<void> {
    const all = [...this.watchers.values()].flatMap((set) => [...set]);
    this.watchers.clear();
    for (const watcher of all) watcher.closed();
    await this.stop?.();
  }

  /** Tells `watcher` of each change of the account; the returned function stops it. */
  watch(accountId: string, watcher: Watcher): () => void {
    let set = this.watchers.get(accountId);
    if (!set) {
      set = new Set();
      this.watchers.set(accountId, set);
    }
    set.add(watcher);
    return () => {
      set.delete(watcher);
      if (set.size === 0 && this.watchers.get(accountId) === set) this.watchers.delete(accountId);
    };
  }

  private tell(accountId: string): void {
    for (const watcher of this.watchers.get(accountId) ?? []) watcher.changed();
  }
}
