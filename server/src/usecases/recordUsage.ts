// Records usage events. One batch path: a single event is a batch of one, and events arriving
// while a transaction runs are grouped into the next one (group commit), so a hot account costs one
// lock and one commit per group instead of one per event.
import type { UsageEvent } from '../domain/event/UsageEvent';
import { type EventOutcome, planIngestion } from '../domain/ingestion/planIngestion';
import { addIngestionWrites, loadIngestionState } from '../store/usageEvents';
import { Writes } from '../store/Writes';
import { watchAccounts } from './watchAccounts';
import type { Context } from './Context';

/** Most events one request may carry. */
export const MAX_BATCH_EVENTS = 1000;
/** Most events grouped into one transaction: bounds lock time and statement size. */
const MAX_EVENTS_PER_TRANSACTION = 2000;

interface Pending {
  events: readonly UsageEvent[];
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
      this.pending.push({ events, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Not now: an embedded store can run a whole transaction without yielding to I/O, so starting
        // at once would commit this event alone before the requests already read in are handed over.
        setImmediate(() => void this.drain());
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
    try {
      const plan = await this.context.db.transaction(async (tx) => {
        const now = this.context.clock.now();
        const { states, existing, reservations } = await loadIngestionState(tx, events, this.context.catalog);
        const plan = planIngestion({ events, states, existing, reservations, catalog: this.context.catalog, now, newId: this.context.newId });
        const writes = addIngestionWrites(new Writes(), plan, now);
        const changes = plan.books.accounts.map((after) => ({
          before: states.get(after.id)!.account,
          after,
          allowanceUsed: states.get(after.id)!.allowanceUsed,
        }));
        await watchAccounts(tx, this.context, changes, plan.spend, [], writes, now);
        await writes.run(tx);
        return plan;
      });
      this.context.snapshots.changed(plan.books.accounts.map((a) => a.id));
      const outcomes = plan.outcomes;
      let offset = 0;
      for (const pending of group) {
        pending.resolve(outcomes.slice(offset, offset + pending.events.length));
        offset += pending.events.length;
      }
    } catch (error) {
      for (const pending of group) pending.reject(error);
    }
  }
}
