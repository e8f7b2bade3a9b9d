// Recently read accounts kept in memory, so that authorize answers without touching the store.
// A process forgets an account as soon as it commits a change to it; other processes forget it when
// the change's NOTIFY arrives (milliseconds later). While notifications may be missed (the listening
// connection is down) nothing is remembered and every read goes to the store.
import { ACCOUNT_CHANGES, changedAccountsIn } from '../store/books';
import type { Database } from '../store/Database';
import type { Catalog } from '../domain/catalog/Catalog';
import type { Context } from './Context';
import { cycleDue } from '../domain/cycle/BilledCycle';
import { closeBeforeReading } from './writeAccounts';
import { type AccountRecord, type AccountUsage, accountUsageAt, readAccountRecord } from './readAccountUsage';

/** Accounts remembered at most; the oldest read is forgotten first. */
const MAX_ACCOUNTS = 50_000;

export class AccountSnapshots {
  private readonly records = new Map<string, Promise<AccountRecord>>();
  private trusted = false;
  private stop: (() => Promise<void>) | undefined;

  constructor(private readonly context: Omit<Context, 'snapshots'>) {}

  async start(db: Database): Promise<void> {
    this.stop = await db.listen(ACCOUNT_CHANGES, {
      onMessage: (payload) => {
        for (const id of changedAccountsIn(payload)) this.records.delete(id);
      },
      onLost: () => {
        this.trusted = false;
        this.records.clear();
      },
      onListening: () => {
        this.records.clear();
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

  /** This process changed these accounts: forget them before anyone is told the change is done. */
  changed(accountIds: Iterable<string>): void {
    for (const id of accountIds) this.records.delete(id);
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
    if (this.records.size >= MAX_ACCOUNTS) this.records.delete(this.records.keys().next().value!);
    this.records.set(accountId, reading);
    // A failed read (unknown account, store down) is not remembered.
    reading.catch(() => {
      if (this.records.get(accountId) === reading) this.records.delete(accountId);
    });
  }
}
