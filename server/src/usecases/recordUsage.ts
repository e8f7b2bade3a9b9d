// Records usage events. One batch path: a single event is a batch of one, and events arriving
// while a transaction runs are grouped into the next one (group commit), so a hot account costs one
// lock and one commit per group instead of one per event. A large group over many accounts is split
// into parts with no account in common, committed at once where the store works beside us.
import type { UsageEvent } from '../domain/event/UsageEvent';
import { eventSchemaFor } from '../domain/event/eventSchemas';
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

/** Most events one request may carry. */
export const MAX_BATCH_EVENTS = 1000;
/** Most events grouped into one transaction: bounds lock time and statement size. */
const MAX_EVENTS_PER_TRANSACTION = 2000;
/** Below this a group is one transaction: splitting it would cost more round trips than it saves. */
const MIN_EVENTS_TO_SPLIT = 200;

interface Pending {
  events: readonly UsageEvent[];
  /** The request that sent them: its audit row goes with the events it had accepted. */
  trail: RequestTrail | undefined;
  resolve: (outcomes: EventOutcome[]) => void;
  reject: (error: unknown) => void;
}

export class UsageRecorder {
  private readonly pending: Pending[] = [];
  private running = false;

  constructor(private readonly context: Context) {}

  record(events: readonly UsageEvent[]): Promise<EventOutcome[]> {
    if (events.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.pending.push({ events, trail: currentTrail(), resolve, reject });
      if (!this.running) {
        this.running = true;
        // Not now: an embedded store can run a whole transaction without yielding to I/O, so starting
        // at once would commit this event alone before the requests already read in are handed over.
        // The group is every request's, not the one that set it off: it runs outside their trails.
        outsideTrails(() => setImmediate(() => void this.drain()));
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const group: Pending[] = [];
        let size = 0;
        while (this.pending.length > 0 && (group.length === 0 || size + this.pending[0]!.events.length <= MAX_EVENTS_PER_TRANSACTION)) {
          const next = this.pending.shift()!;
          group.push(next);
          size += next.events.length;
        }
        await this.commit(group);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = false;
    }
  }

  private async commit(group: Pending[]): Promise<void> {
    const events = group.flatMap((p) => p.events);
    const trails = new Map<UsageEvent, RequestTrail>();
    for (const pending of group) if (pending.trail) for (const event of pending.events) trails.set(event, pending.trail);
    try {
      groupCommitEvents.observe(events.length);
      const outcomes = await this.recordInParts(events, trails);
      for (const [i, outcome] of outcomes.entries()) eventsTotal.inc({ type: events[i]!.type, outcome: outcome.status });
      let offset = 0;
      for (const pending of group) {
        pending.resolve(outcomes.slice(offset, offset + pending.events.length));
        offset += pending.events.length;
      }
    } catch (error) {
      for (const pending of group) pending.reject(error);
    }
  }

  private async recordInParts(events: readonly UsageEvent[], trails: ReadonlyMap<UsageEvent, RequestTrail>): Promise<EventOutcome[]> {
    const parts = events.length < MIN_EVENTS_TO_SPLIT ? [] : partitionByAccount(events, this.context.db.parallelWrites);
    if (parts.length <= 1) return this.recordIsolating(events, trails);
    // Every part settles before the group does: a failure must not leave another part running.
    const settled = await Promise.allSettled(parts.map((indexes) => this.recordIsolating(indexes.map((i) => events[i]!), trails)));
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
  private async recordIsolating(events: readonly UsageEvent[], trails: ReadonlyMap<UsageEvent, RequestTrail>): Promise<EventOutcome[]> {
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
  private async recordTogether(events: readonly UsageEvent[], trails: ReadonlyMap<UsageEvent, RequestTrail>): Promise<EventOutcome[]> {
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
    events: readonly UsageEvent[],
    trails: ReadonlyMap<UsageEvent, RequestTrail>,
    { tx, accounts, now }: WriteScope,
  ): Promise<Written<{ outcomes: EventOutcome[]; audited: Map<RequestTrail, AuditEntry> }>> {
    const watch = watchStateReads([...accounts.values()], now);
    // Each account is rated on its own catalog version, which came with its row.
    const catalogs = await this.context.catalogs.forAccounts(accounts.values());
    const { states, existing, reservations, also } = await loadIngestionState(tx, { accounts, events, catalog: catalogs, also: watch.parts });
    const plan = planIngestion({ events, states, existing, reservations, catalog: catalogs, now, newId: this.context.newId });
    const audited = this.auditEntries({ events, outcomes: plan.outcomes, trails, now });
    const writes = addIngestionWrites(new Writes(), {
      plan,
      now,
      makerOf: keyOfEventIn(events, trails),
      dimensions: (accountId) => eventSchemaFor(catalogs.get(accountId)!).dimensions,
    });
    addAuditWrites(writes, [...audited.values()]);
    const changes = plan.books.accounts.map((after) => ({
      before: states.get(after.id)!.account,
      after,
      allowanceUsed: states.get(after.id)!.allowanceUsed,
    }));
    await watchAccounts(tx, { context: this.context, changes, spendAdded: plan.spend, writes, now, watched: watch.finish(also) });
    return { answer: { outcomes: plan.outcomes, audited }, writes, changed: plan.books.accounts.map((a) => a.id) };
  }

  /** One row for each request with events accepted here: the accounts and events this transaction recorded for it. */
  private auditEntries({ events, outcomes, trails, now }: { events: readonly UsageEvent[]; outcomes: readonly EventOutcome[]; trails: ReadonlyMap<UsageEvent, RequestTrail>; now: Date }) {
    const accepted = new Map<RequestTrail, UsageEvent[]>();
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

/** The key of the request that sent the event a ledger entry charges. */
function keyOfEventIn(events: readonly UsageEvent[], trails: ReadonlyMap<UsageEvent, RequestTrail>) {
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
