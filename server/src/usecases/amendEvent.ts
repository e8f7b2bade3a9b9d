// Amending a recorded event (POST /v1/events/:id/amend): in one transaction, the current version is
// voided (everything it drew given back, see voidEvent) and kept as an earlier version, and the new
// data is rated under the same id as the next version, as if it had arrived now. A new version the
// catalog refuses leaves everything as it was; an amendment that finds its data in place already
// (sent again) answers without amending twice.
import { accountLinks } from '../domain/alerts/accountSignals';
import { eventSchemaFor } from '../domain/event/eventSchemas';
import { DomainFailure, notFound } from '../domain/errors';
import type { UsageEvent } from '../domain/event/UsageEvent';
import { planIngestion, type StoredEvent } from '../domain/ingestion/planIngestion';
import { decimalString } from '../domain/money';
import { eventVoided } from '../domain/refusals';
import { webhookMessage } from '../domain/webhooks/WebhookEvent';
import { addVersionMoveWrites, readEventToCorrect, readEventVersions } from '../store/eventCorrections';
import { sameData } from '../domain/ingestion/sameEvent';
import { addIngestionWrites, loadIngestionState } from '../store/usageEvents';
import { Writes } from '../store/Writes';
import { changesNothing, currentKeyId } from '../audit/RequestTrail';
import type { Context } from './Context';
import { voidWithin } from './voidEvent';
import { watchAccounts } from './watchAccounts';
import { writeAccounts } from './writeAccounts';

export interface Amendment {
  /** The new version: the recorded event's account, id, type and timestamp with the new data. */
  event: UsageEvent;
  reason: string;
}

export async function amendEvent(context: Context, { event: amended, reason }: Amendment): Promise<{ event: StoredEvent; previous: StoredEvent }> {
  const accountId = amended.account;
  return writeAccounts(context, {
    accounts: [accountId],
    run: async ({ tx, accounts, now }) => {
      const account = accounts.get(accountId)!;
      const current = await readEventToCorrect(tx, accountId, amended.id);
      if (!current) throw new DomainFailure(notFound('event', amended.id));
      if (current.voided) throw new DomainFailure(eventVoided(amended.id));
      // The amendment sent again (a retried request) finds its data in place: it answers as it did.
      if ((current.version ?? 1) > 1 && sameData(current, amended)) {
        changesNothing();
        const versions = await readEventVersions(tx, accountId, amended.id);
        return { answer: { event: current, previous: versions[versions.length - 1]! } };
      }
      const keyId = currentKeyId();

      // The void runs first: the new version is rated against what it gave back.
      const catalog = await context.catalogs.forAccount(account);
      const voiding = await voidWithin(tx, { context: { newId: context.newId, catalog }, account, event: current, reason, now });
      addVersionMoveWrites(voiding.writes, {
        accountId,
        eventId: current.id,
        reason,
        keyId,
        invoice: voiding.invoice ?? null,
        creditNote: voiding.creditNote?.id ?? null,
        at: now,
      });
      await voiding.writes.run(tx);
      const voided = voiding.book.account;

      const { states } = await loadIngestionState(tx, { accounts: new Map([[accountId, voided]]), events: [amended], catalog, also: {} });
      const plan = planIngestion({ events: [amended], states, existing: new Map(), catalog, now, newId: context.newId });
      const [outcome] = plan.outcomes;
      if (!outcome || outcome.status !== 'accepted') throw new DomainFailure(outcome?.status === 'rejected' ? outcome.error : notFound('event', amended.id));
      const version = (current.version ?? 1) + 1;
      outcome.event.version = version;
      const writes = addIngestionWrites(new Writes(), { plan, now, dimensions: eventSchemaFor(catalog).dimensions });
      const after = plan.books.accounts.find((a) => a.id === accountId) ?? voided;
      const message = webhookMessage('usage.amended', { accountId, occurredAt: now, newId: context.newId }, {
        account: accountId,
        balance: decimalString(after.balance),
        status: after.status,
        links: accountLinks(accountId),
        event: amended.id,
        type: amended.type,
        reason,
        version,
        previousCost: current.cost,
        cost: outcome.event.cost,
      });
      await watchAccounts(tx, {
        context,
        changes: [{ before: account, after, allowanceUsed: states.get(accountId)!.allowanceUsed, usageLowered: true }],
        spendAdded: plan.spend,
        messages: [...voiding.messages, message],
        writes,
        now,
      });
      return {
        answer: { event: outcome.event, previous: { ...current, voided: { at: now, reason, keyId, ...(voiding.creditNote ? { creditNote: voiding.creditNote.id } : {}) } } },
        writes,
        changed: [accountId],
      };
    },
  });
}
