// Recently read accounts kept in memory, so that authorize answers without touching the store.
// A process forgets an account as soon as it commits a change to it, or remembers the account as
// the change left it where the writer worked that out under the account's lock (recorded events);
// other processes forget it when the change's NOTIFY arrives (milliseconds later). While
// notifications may be missed (the listening connection is down) nothing is remembered and every
// read goes to the store.
import { randomUUID } from 'node:crypto';
import { ACCOUNT_CHANGES, changedAccountsIn, changeOrigin } from '../store/books';
import type { Database } from '../store/Database';
import type { Catalog } from '../domain/catalog/Catalog';
import type { Context } from './Context';
import { cycleDue } from '../domain/cycle/BilledCycle';
import { closeBeforeReading } from './writeAccounts';
import { type AccountUsage, accountUsageAt, readAccountRecord } from './readAccountUsage';
import type { AccountRecord } from '../domain/account/AccountRecord';

/** Accounts remembered at most; the oldest read is forgotten first. */
const MAX_ACCOUNTS = 50_000;

export class AccountSnapshots {
  private readonly records = new Map<string, Promise<AccountRecord>>();
  private trusted = false;
  private stop: (() => Promise<void>) | undefined;
  /**
   * How this process's writers name themselves in the NOTIFY of a change whose result they hand to
   * `changed`: its own notification then tells nothing new, and must not forget what was handed.
   */
  readonly origin = randomUUID();
  /**
   * Notices of other writers' changes, counted: by account, the count at its latest notice. A record
   * a writer worked out under the lock is not remembered where a notice came after the lock was
   * taken (see `changed`). Below `floor` the counts were let go: every account counts as noticed.
   */
  private notices = 0;
  private floor = 0;
  private readonly noticed = new Map<string, number>();

  constructor(private readonly context: Omit<Context, 'snapshots'>) {}

  async start(db: Database): Promise<void> {
    this.stop = await db.listen(ACCOUNT_CHANGES, {
      onMessage: (payload) => {
        if (changeOrigin(payload) === this.origin) return;
        this.notices += 1;
        if (this.noticed.size >= MAX_ACCOUNTS) this.forgetNotices();
        for (const id of changedAccountsIn(payload)) {
          this.records.delete(id);
          this.noticed.set(id, this.notices);
        }
      },
      onLost: () => {
        this.trusted = false;
        this.records.clear();
        this.forgetNotices();
      },
      onListening: () => {
        this.records.clear();
        this.forgetNotices();
        this.trusted = true;
      },
    });
    this.trusted = true;
  }

  async close(): Promise<void> {
    this.trusted = false;
    this.records.clear();
    await this.stop?.();
  }

  /**
   * The catalog of an account this process remembers, without reading the store (ingestion checks
   * each event against its account's catalog version first); undefined where it is not remembered.
   */
  rememberedCatalog(accountId: string): Promise<Catalog | undefined> | undefined {
    if (!this.trusted) return undefined;
    return this.records.get(accountId)?.then(
      (record) => record.catalog,
      () => undefined,
    );
  }

  /** Whether authorize would find the account in memory now: a writer works out its new record only then. */
  remembers(accountId: string): boolean {
    return this.trusted && this.records.has(accountId);
  }

  /** Where the notices stand: a writer takes this once it holds its accounts' locks. */
  noticesSoFar(): number {
    return this.notices;
  }

  /**
   * This process committed a change to these accounts: before anyone is told the change is done,
   * each is forgotten, or remembered as `current` holds it (what the change left in the store, as
   * the writer worked it out under the locks it took when the notices stood at `current.since`).
   * A notice since then may tell of a change committed after this one: the account is forgotten.
   */
  changed(accountIds: Iterable<string>, current?: { records: ReadonlyMap<string, AccountRecord>; since: number }): void {
    for (const id of accountIds) {
      const record = this.trusted && current && !this.noticedSince(id, current.since) ? current.records.get(id) : undefined;
      if (record) this.remember(id, Promise.resolve(record));
      else this.records.delete(id);
    }
  }

  private noticedSince(accountId: string, since: number): boolean {
    return since < this.floor || (this.noticed.get(accountId) ?? -1) > since;
  }

  private forgetNotices(): void {
    this.noticed.clear();
    this.notices += 1;
    this.floor = this.notices;
  }

  /** The account's usage now; an ended cycle is closed first (see closeBeforeReading). */
  async usage(accountId: string): Promise<AccountUsage> {
    const usage = await this.read(accountId, this.context.clock.now());
    if (!cycleDue(usage.account, this.context.clock.now())) return usage;
    await closeBeforeReading({ ...this.context, snapshots: this }, accountId);
    return this.read(accountId, this.context.clock.now());
  }

  private async read(accountId: string, now: Date): Promise<AccountUsage> {
    if (this.trusted) {
      const remembered = this.records.get(accountId);
      if (remembered) {
        const usage = accountUsageAt(await remembered, now);
        if (usage) return usage;
        if (this.records.get(accountId) === remembered) this.records.delete(accountId);
      }
    }
    const reading = readAccountRecord(this.context, accountId);
    if (this.trusted) this.remember(accountId, reading);
    const usage = accountUsageAt(await reading, now);
    // A record read now holds the periods current now unless the clock crossed a cycle meanwhile.
    return usage ?? accountUsageAt(await readAccountRecord(this.context, accountId), now)!;
  }

  private remember(accountId: string, reading: Promise<AccountRecord>): void {
    // Set anew, it counts as the latest read: the oldest is forgotten first.
    this.records.delete(accountId);
    if (this.records.size >= MAX_ACCOUNTS) this.records.delete(this.records.keys().next().value!);
    this.records.set(accountId, reading);
    // A failed read (unknown account, store down) is not remembered.
    reading.catch(() => {
      if (this.records.get(accountId) === reading) this.records.delete(accountId);
    });
  }
}
