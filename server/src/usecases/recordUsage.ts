// Records usage events. One batch path: a single event is a batch of one, and events arriving
// while a transaction runs are grouped into the next one (group commit), so a hot account costs one
// lock and one commit per group instead of one per event. Where the store works beside us, a group
// of other accounts' events starts while one runs, and a large group over many accounts is split
// into parts with no account in common, committed at once. An event's type and data are checked
// here, against the catalog version its account is rated on.
import type { SentEvent, UsageEvent } from '../domain/event/UsageEvent';
import { checkEventData, eventSchemaFor } from '../domain/event/eventSchemas';
import { type EventOutcome, planIngestion } from '../domain/ingestion/planIngestion';
import { addIngestionWrites, loadIngestionState } from '../store/usageEvents';
import { Writes } from '../store/Writes';
import { watchAccounts, watchStateReads } from './watchAccounts';
import { partitionByAccount } from './partitionByAccount';
import type { Context } from './Context';
import { eventsTotal, groupCommitEvents } from '../metrics/metrics';
import { writeAccounts } from './writeAccounts';
import type { WriteScope, Written } from './AccountWrite';
import { validationFailed } from '../domain/errors';
import { currentTrail, outsideTrails, type RequestTrail } from '../audit/RequestTrail';
import type { AuditEntry } from '../domain/audit/AuditEntry';
import { addAuditWrites } from '../store/auditLog';
import type { Catalog } from '../domain/catalog/Catalog';
import { recordsAfterIngestion } from '../domain/ingestion/recordsAfter';

/** Most events one request may carry. */
export const MAX_BATCH_EVENTS = 1000;
/** Most events grouped into one transaction: bounds lock time and statement size. */
const MAX_EVENTS_PER_TRANSACTION = 2000;
/** A group starts beside running ones only where each holds at least this many events (see startGroups). */
const BESIDE_GROUPS_OF = 100;
/** Below this a group is one transaction: splitting it would cost more round trips than it saves. */
const MIN_EVENTS_TO_SPLIT = 200;

interface Pending {
  events: readonly SentEvent[];
  /** The request that sent them: its audit row goes with the events it had accepted. */
  trail: RequestTrail | undefined;
  resolve: (outcomes: EventOutcome[]) => void;
  reject: (error: unknown) => void;
}

export class UsageRecorder {
  private readonly pending: Pending[] = [];
  /** The accounts of the groups being recorded now. */
  private readonly busy = new Set<string>();
  /** The sizes (events) of the groups being recorded now. */
  private readonly running: number[] = [];
  private scheduled = false;

  constructor(private readonly context: Context) {}

  /** Each event's outcome, in order; an event whose type or data its account's catalog refuses is rejected alone, naming the field. */
  record(events: readonly SentEvent[]): Promise<EventOutcome[]> {
    if (events.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.pending.push({ events, trail: currentTrail(), resolve, reject });
      this.schedule();
    });
  }

  /**
   * Starts the next groups on the next turn, not now: an embedded store can run a whole transaction
   * without yielding to I/O, so starting at once would commit this event alone before the requests
   * already read in are handed over. A group is every request's, not the one that set it off: it
   * runs outside their trails.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    outsideTrails(() =>
      setImmediate(() => {
        this.scheduled = false;
        this.startGroups();
      }),
    );
  }

  /**
   * One group at a time where the store runs one transaction at a time. Where it works beside us
   * (PostgreSQL), a group of other accounts' events starts while large ones run: a single event
   * does not wait for a batch of accounts it has nothing to do with. Beside small groups the next
   * one is gathered instead: fewer, larger transactions, and fewer lock waits between processes.
   */
  private startGroups(): void {
    // Math.min of none is Infinity: with no group running, the next one starts.
    while (this.running.length < this.context.db.parallelWrites && Math.min(...this.running) >= BESIDE_GROUPS_OF && this.pending.length > 0) {
      const group = this.nextGroup();
      if (group.length === 0) return;
      const accounts = new Set(group.flatMap((p) => p.events.map((e) => e.account)));
      const size = group.reduce((n, p) => n + p.events.length, 0);
      for (const id of accounts) this.busy.add(id);
      this.running.push(size);
      void this.commit(group).finally(() => {
        this.running.splice(this.running.indexOf(size), 1);
        for (const id of accounts) this.busy.delete(id);
        if (this.pending.length > 0) this.schedule();
      });
    }
  }

  /**
   * The waiting requests that go next, in arrival order, up to a transaction's events. A request
   * with an account that a running group holds waits, and so does every later request with an
   * account of a waiting one: an account's events are recorded in the order they came.
   */
  private nextGroup(): Pending[] {
    const group: Pending[] = [];
    const waiting: Pending[] = [];
    const held = new Set(this.busy);
    let size = 0;
    for (const [index, next] of this.pending.entries()) {
      if (group.length > 0 && size + next.events.length > MAX_EVENTS_PER_TRANSACTION) {
        waiting.push(...this.pending.slice(index));
        break;
      }
      if (next.events.some((e) => held.has(e.account))) {
        waiting.push(next);
        for (const event of next.events) held.add(event.account);
        continue;
      }
      group.push(next);
      size += next.events.length;
    }
    this.pending.splice(0, this.pending.length, ...waiting);
    return group;
  }

  private async commit(group: Pending[]): Promise<void> {
    const events = group.flatMap((p) => p.events);
    const trails = new Map<SentEvent, RequestTrail>();
    for (const pending of group) if (pending.trail) for (const event of pending.events) trails.set(event, pending.trail);
    try {
      groupCommitEvents.observe(events.length);
      const outcomes = await this.checkForNoAccount(events, await this.recordInParts(events, trails));
      for (const [i, outcome] of outcomes.entries()) eventsTotal.inc({ type: typeLabel(events[i]!, outcome), outcome: outcome.status });
      let offset = 0;
      for (const pending of group) {
        pending.resolve(outcomes.slice(offset, offset + pending.events.length));
        offset += pending.events.length;
      }
    } catch (error) {
      for (const pending of group) pending.reject(error);
    }
  }

  /**
   * An event for no account is held against the latest catalog, as it would be were the account
   * opened now: ill-formed data is the error to fix first. Asked only where there is such an event.
   */
  private async checkForNoAccount(events: readonly SentEvent[], outcomes: EventOutcome[]): Promise<EventOutcome[]> {
    if (!outcomes.some(forNoAccount)) return outcomes;
    const latest = await this.context.catalogs.latestCatalog();
    return outcomes.map((outcome, i) => {
      if (!forNoAccount(outcome)) return outcome;
      const checked = checkEventData(latest, events[i]!);
      return checked.success ? outcome : { status: 'rejected', error: checked.error };
    });
  }

  private async recordInParts(events: readonly SentEvent[], trails: ReadonlyMap<SentEvent, RequestTrail>): Promise<EventOutcome[]> {
    const parts = events.length < MIN_EVENTS_TO_SPLIT ? [] : partitionByAccount(events, this.context.db.parallelWrites);
    if (parts.length <= 1) return this.recordIsolating(events, trails);
    // Every part settles before the group does: a failure must not leave another part running.
    const settled = await Promise.allSettled(
      parts.map((indexes) =>
        this.recordIsolating(
          indexes.map((i) => events[i]!),
          trails,
        ),
      ),
    );
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const outcomes: EventOutcome[] = new Array(events.length);
    parts.forEach((indexes, part) => {
      const own = (settled[part] as PromiseFulfilledResult<EventOutcome[]>).value;
      indexes.forEach((index, k) => (outcomes[index] = own[k]!));
    });
    return outcomes;
  }

  /**
   * Records events together; where the store refuses the data of one of them, halves are retried
   * apart until the refused event stands alone and is rejected, and every other event is recorded.
   * Only a refusal of data is isolated: a store that is down fails the group at once.
   */
  private async recordIsolating(events: readonly SentEvent[], trails: ReadonlyMap<SentEvent, RequestTrail>): Promise<EventOutcome[]> {
    try {
      return await this.recordTogether(events, trails);
    } catch (error) {
      if (!isDataRefusal(error)) throw error;
      if (events.length === 1) return [{ status: 'rejected', error: refusedByStore(error) }];
      const half = Math.ceil(events.length / 2);
      const first = await this.recordIsolating(events.slice(0, half), trails);
      return [...first, ...(await this.recordIsolating(events.slice(half), trails))];
    }
  }

  /** Rates and commits events in one transaction, once the cycles that ended before now are closed. */
  private async recordTogether(events: readonly SentEvent[], trails: ReadonlyMap<SentEvent, RequestTrail>): Promise<EventOutcome[]> {
    const { outcomes, audited } = await writeAccounts(this.context, {
      accounts: [...new Set(events.map((e) => e.account))],
      // An event for an account that does not exist is rejected alone.
      missing: 'skip',
      run: (scope) => this.rate(events, trails, scope),
    });
    for (const [trail, entry] of audited) trail.committed(entry.status);
    return outcomes;
  }

  private async rate(
    sent: readonly SentEvent[],
    trails: ReadonlyMap<SentEvent, RequestTrail>,
    { tx, accounts, now }: WriteScope,
  ): Promise<Written<{ outcomes: EventOutcome[]; audited: Map<RequestTrail, AuditEntry> }>> {
    const { snapshots } = this.context;
    const since = snapshots.noticesSoFar();
    // Accounts authorize remembers are remembered as the events leave them: read what that takes.
    const remembered = [...accounts.keys()].filter((id) => snapshots.remembers(id));
    const watch = watchStateReads([...accounts.values()], now);
    // Each account is rated on its own catalog version, which came with its row.
    const catalogs = await this.context.catalogs.forAccounts(accounts.values());
    const { events, refused } = checkedAgainst(catalogs, sent);
    const { states, existing, reservations, active, also } = await loadIngestionState(tx, {
      accounts,
      events,
      catalog: catalogs,
      also: watch.parts,
      standing: { accounts: remembered, now },
    });
    const watched = watch.finish(also);
    const plan = planIngestion({ events, states, existing, reservations, catalog: catalogs, now, newId: this.context.newId });
    let next = 0;
    const outcomes = sent.map((_, i): EventOutcome => refused.get(i) ?? plan.outcomes[next++]!);
    const audited = this.auditEntries({ events: sent, outcomes, trails, now });
    const writes = addIngestionWrites(new Writes(), {
      plan,
      now,
      origin: snapshots.origin,
      makerOf: keyOfEventIn(sent, trails),
      dimensions: (accountId) => eventSchemaFor(catalogs.get(accountId)!).dimensions,
    });
    addAuditWrites(writes, [...audited.values()]);
    const changes = plan.books.accounts.map((after) => ({
      before: states.get(after.id)!.account,
      after,
      allowanceUsed: states.get(after.id)!.allowanceUsed,
    }));
    await watchAccounts(tx, { context: this.context, changes, spendAdded: plan.spend, writes, now, watched });
    const changed = plan.books.accounts.map((a) => a.id);
    const records =
      remembered.length === 0
        ? undefined
        : recordsAfterIngestion({ accountIds: remembered, states, plan, catalogs, reservations: active, spentBefore: watched.alerts.spend, now });
    return { answer: { outcomes, audited }, writes, changed, ...(records ? { current: { records, since } } : {}) };
  }

  /** One row for each request with events accepted here: the accounts and events this transaction recorded for it. */
  private auditEntries({
    events,
    outcomes,
    trails,
    now,
  }: {
    events: readonly SentEvent[];
    outcomes: readonly EventOutcome[];
    trails: ReadonlyMap<SentEvent, RequestTrail>;
    now: Date;
  }) {
    const accepted = new Map<RequestTrail, SentEvent[]>();
    events.forEach((event, i) => {
      const trail = trails.get(event);
      if (!trail || outcomes[i]!.status !== 'accepted') return;
      const own = accepted.get(trail);
      if (own) own.push(event);
      else accepted.set(trail, [event]);
    });
    const entries = new Map<RequestTrail, AuditEntry>();
    for (const [trail, own] of accepted) {
      entries.set(trail, trail.entry(this.context.newId('aud'), now, { accounts: own.map((e) => e.account), ids: own.map((e) => e.id) }));
    }
    return entries;
  }
}

/**
 * The events to rate, each checked against its account's catalog, and the refused ones' errors by
 * index. An event for no account passes unchecked: rating rejects it as for no account.
 */
function checkedAgainst(catalogs: ReadonlyMap<string, Catalog>, sent: readonly SentEvent[]) {
  const events: UsageEvent[] = [];
  const refused = new Map<number, EventOutcome>();
  sent.forEach((event, i) => {
    const catalog = catalogs.get(event.account);
    if (!catalog) return void events.push(event as UsageEvent);
    const checked = checkEventData(catalog, event);
    if (checked.success) events.push(checked.event);
    else refused.set(i, { status: 'rejected', error: checked.error });
  });
  return { events, refused };
}

function forNoAccount(outcome: EventOutcome): boolean {
  return outcome.status === 'rejected' && outcome.error.code === 'not_found' && outcome.error.resource === 'account';
}

/** The metric's type label: an unknown type a client sent is not made a label of its own. */
function typeLabel(event: SentEvent, outcome: EventOutcome): string {
  return outcome.status === 'rejected' && outcome.error.code === 'validation_failed' && outcome.error.field === 'type' ? '(unknown)' : event.type;
}

/** The key of the request that sent the event a ledger entry charges. */
function keyOfEventIn(events: readonly SentEvent[], trails: ReadonlyMap<SentEvent, RequestTrail>) {
  const keys = new Map<string, string>();
  for (const event of events) {
    const trail = trails.get(event);
    if (trail) keys.set(`${event.account} ${event.id}`, trail.keyId);
  }
  return (entry: { accountId: string; eventId: string | null }) => (entry.eventId === null ? null : (keys.get(`${entry.accountId} ${entry.eventId}`) ?? null));
}

/**
 * SQLSTATEs that blame the data a statement carried, not the store: class 22 (data exception: a
 * value out of range, an untranslatable character), a CHECK constraint, and a value too large to
 * index. Anything else (a lost connection, a full disk) is the store's and fails the whole group.
 */
function isDataRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code === '23514' || code === '54000');
}

/** Names the SQLSTATE, not the store's own words: those may quote its internals. */
function refusedByStore(error: unknown) {
  const code = (error as { code: string }).code;
  return validationFailed('(event)', `the store could not keep this event's data (SQLSTATE ${code}); check its text and numbers`);
}
