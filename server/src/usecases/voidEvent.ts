// Voiding a recorded event (POST /v1/events/:id/void): under the account's lock, everything the
// event drew is given back (see domain/correction/voidEvent), the event is marked voided with the
// reason and the key, and the account's alerts and status follow. A second void answers the first.
import type { Account } from '../domain/account/Account';
import { eventSchemaFor } from '../domain/event/eventSchemas';
import { accountLinks } from '../domain/alerts/accountSignals';
import { type Catalog, findPlan, type Plan } from '../domain/catalog/Catalog';
import { allowancePeriod } from '../domain/allowance/Allowance';
import { drawsOf, invoiceLinesOf, planVoid, type TierSettlement, type VoidPlan } from '../domain/correction/voidEvent';
import { priceInEffect } from '../domain/rating/priceInEffect';
import { tierVoid } from '../domain/rating/tieredPrice';
import { cycleContaining, cycleKey } from '../domain/cycle/Cycle';
import { DomainFailure, notFound, validationFailed } from '../domain/errors';
import type { EventDraws, StoredEvent } from '../domain/ingestion/planIngestion';
import { type AccountBook, changesOf, lapseExpiredGrants, openBook } from '../domain/ledger/AccountBook';
import { decimalString, money, type Money, sum, ZERO } from '../domain/money';
import { type OutboxMessage, webhookMessage } from '../domain/webhooks/WebhookEvent';
import type { CreditNoteRecord } from '../store/creditNotes';
import { lockInvoice } from '../store/invoices';
import { issueCreditNote } from './creditNotes';
import { addBookWrites } from '../store/books';
import type { Queryable } from '../store/Database';
import {
  addGivenBackWrites,
  addVoidMarkWrites,
  anotherEventHolds,
  readChargesVoidedOnInvoice,
  readEventToCorrect,
  readGrantsToGiveBack,
  readOnceKeys,
  readTierCounts,
  readSettlingInvoice,
  readVoidEntries,
} from '../store/eventCorrections';
import { readAllowanceUsed } from '../store/usageEvents';
import { Writes } from '../store/Writes';
import { changesNothing, currentKeyId } from '../audit/RequestTrail';
import type { Context, WithCatalog } from './Context';
import { watchAccounts } from './watchAccounts';
import { ledgerEntryView, writtenEntryView } from './listLedger';
import { writeAccounts } from './writeAccounts';

/** A void inside a write, decided and added to `writes`, before the event's own row changes. */
export interface Voiding {
  book: AccountBook;
  plan: VoidPlan;
  /** Units used of the allowances the void gave back to, after it. */
  allowanceUsed: Map<string, Money>;
  /** Where the event's cycle was invoiced: the invoice its money goes back through. */
  invoice: string | undefined;
  /** The credit note that gave the money back (none while the event's share rounds to nothing). */
  creditNote: CreditNoteRecord | undefined;
  /** Messages of the void's own making (the credit note's). */
  messages: OutboxMessage[];
  writes: Writes;
}

/** Reads what voiding `event` needs, decides it, and adds its ledger and counter writes. */
export async function voidWithin(
  tx: Queryable,
  { context, account, event, reason, now }: { context: WithCatalog<'newId'>; account: Account; event: StoredEvent; reason: string; now: Date },
): Promise<Voiding> {
  const { catalog, newId } = context;
  const plan = findPlan(catalog, account.plan);
  const cycle = cycleContaining(account.anchor, account.interval, event.billedAt ?? event.timestamp);
  const draws = drawsOf(event, plan, cycle);
  const named = (event.paidFrom ?? []).flatMap((p) => (p.grant === null ? [] : [p.grant]));
  const book = openBook(account, await readGrantsToGiveBack(tx, account.id, named, (draws.tiers ?? []).length > 0));
  lapseExpiredGrants(book, now, newId);
  const onceNow = await readOnceKeys(tx, account.id, draws.once);
  const heldElsewhere = new Set<string>();
  for (const once of draws.once) {
    const fields = catalog.services.flatMap((s) => (s.chargeOnce?.group === once.group ? [{ type: s.event, field: s.chargeOnce.key }] : []));
    const held = await anotherEventHolds(tx, { accountId: account.id, eventId: event.id, fields, value: once.key, from: cycle.start, to: cycle.end });
    if (held) heldElsewhere.add(`${once.group}|${once.key}|${once.period}`);
  }
  // A cycle before the open one is closed; where its invoice settled the usage, the void reaches it.
  const billed = event.billedAt ?? event.timestamp;
  const closed = account.cycleStart !== null && billed.getTime() < account.cycleStart.getTime();
  // Whatever the plan is now: an invoice that settled the event's charges is where they go back.
  const settledBy = closed ? await readSettlingInvoice(tx, account.id, billed) : undefined;
  const tiers = await tierSettlements(tx, { account, plan, catalog, event, draws, invoiced: settledBy !== undefined });
  const voidPlan = planVoid({
    event,
    draws,
    tiers,
    book,
    billing: plan?.billing ?? 'prepaid',
    cyclePeriod: cycleKey(cycle),
    onceNow,
    heldElsewhere,
    invoiced: settledBy !== undefined,
    dimensions: eventSchemaFor(catalog).dimensions,
    reason,
    now,
    newId,
  });
  // Every allowance of the cycle now open, beside those given back to: alerts judge them all.
  const open = cycleContaining(account.anchor, account.interval, now);
  const periods = [
    ...(plan?.allowances ?? []).map((a) => [a.meter, allowancePeriod(a, open)] as const),
    ...voidPlan.allowance.map((a) => [a.meter, a.period] as const),
  ];
  const allowanceUsed = await readAllowanceUsed(tx, account.id, periods);
  for (const a of voidPlan.allowance) {
    const key = `${a.meter}|${a.period}`;
    const left = (allowanceUsed.get(key) ?? money(0)).minus(a.units);
    allowanceUsed.set(key, left.isNegative() ? money(0) : left);
  }
  const writes = new Writes();
  const credited = settledBy ? await creditOnInvoice(tx, { context, book, event, invoiceId: settledBy.invoiceId, reason, writes, now }) : undefined;
  addBookWrites(writes, { changes: changesOf([book]), recordedAt: now });
  addGivenBackWrites(writes, { accountId: account.id, plan: voidPlan });
  return {
    book,
    plan: voidPlan,
    allowanceUsed,
    invoice: settledBy?.invoiceId,
    creditNote: credited?.creditNote,
    messages: credited ? [credited.message] : [],
    writes,
  };
}

/**
 * How the void settles each tiered service the event counted: at the price in effect for the
 * account now, the cycle is charged the price of what stands (see tierVoid). An invoiced cycle, a
 * service no longer tiered or a cycle counted before charged totals were kept: the event's own
 * charge goes back and the counts lose it.
 */
async function tierSettlements(
  tx: Queryable,
  input: { account: Account; plan: Plan | undefined; catalog: Catalog; event: StoredEvent; draws: EventDraws; invoiced: boolean },
): Promise<TierSettlement[]> {
  const drawn = input.draws.tiers ?? [];
  if (drawn.length === 0) return [];
  const counts = await readTierCounts(tx, input.account.id, drawn);
  return drawn.flatMap((d) => {
    const count = counts.get(`${d.service}|${d.period}`);
    if (!count) return [];
    const now = { quantity: money(count.quantity), charged: money(count.charged) };
    const units = money(d.units);
    const service = input.catalog.services.find((s) => s.code === d.service);
    const rule = service && input.plan ? priceInEffect(service, input.plan, input.account.interval, input.account.prices).rule : undefined;
    if (rule?.kind === 'tiered' && !input.invoiced) return [{ service: d.service, period: d.period, ...tierVoid(rule.mode, rule.tiers, now, units) }];
    const own = sum(input.event.charges.filter((c) => c.service === d.service && c.tiers).map((c) => money(c.amount)));
    const left = now.quantity.minus(units);
    return [{ service: d.service, period: d.period, quantity: left.isNegative() ? ZERO : left, charged: now.charged.minus(own), givenBack: own }];
  });
}

/**
 * Gives an invoiced event's money back through a credit note on its invoice, on the lines that
 * billed its charges, refunded outside creditmeter (or lowering what the invoice still asks). A void
 * invoice asks nothing and gave its charges back already: nothing more to give.
 */
async function creditOnInvoice(
  tx: Queryable,
  input: { context: WithCatalog<'newId'>; book: AccountBook; event: StoredEvent; invoiceId: string; reason: string; writes: Writes; now: Date },
) {
  const invoice = (await lockInvoice(tx, input.invoiceId))!;
  if (invoice.status === 'void') return undefined;
  const { lines, unmatched } = invoiceLinesOf(input.event, invoice, await readChargesVoidedOnInvoice(tx, invoice.accountId, invoice.id));
  if (unmatched.greaterThan(0)) {
    throw new DomainFailure(
      validationFailed(
        'event',
        `its charges of ${decimalString(unmatched)} ${invoice.currency} are on no line of invoice ${invoice.number}: credit the invoice itself`,
      ),
    );
  }
  // Nothing to credit yet (a share below half a cent): the money waits for the line's next void.
  if (lines.length === 0) return undefined;
  const { context, book, reason, writes, now } = input;
  return issueCreditNote({ tx, context, invoice, book, credit: { lines }, reason, refund: 'external', writes, now, eventId: input.event.id });
}

/** What a void answers: the event as voided, the entries that gave back, the balance after. */
export async function voidAnswer(db: Queryable, { event, balance }: { event: StoredEvent & { voided: NonNullable<StoredEvent['voided']> }; balance: Money }) {
  const entries = await readVoidEntries(db, event.accountId, event.id, event.voided.at);
  return {
    event,
    entries: entries.map(ledgerEntryView),
    // A void that gave nothing back (a free event) wrote no entry: the balance as it stands.
    balance: entries.length > 0 ? entries[entries.length - 1]!.balance_after : decimalString(balance),
  };
}

export async function voidEvent(context: Context, { accountId, eventId, reason }: { accountId: string; eventId: string; reason: string }) {
  return writeAccounts(context, {
    accounts: [accountId],
    run: async ({ tx, accounts, now }) => {
      const account = accounts.get(accountId)!;
      const event = await readEventToCorrect(tx, accountId, eventId);
      if (!event) throw new DomainFailure(notFound('event', eventId));
      if (event.voided) {
        changesNothing();
        return { answer: await voidAnswer(tx, { event: { ...event, voided: event.voided }, balance: account.balance }) };
      }
      const voiding = await voidWithin(tx, {
        context: { newId: context.newId, catalog: await context.catalogs.forAccount(account) },
        account,
        event,
        reason,
        now,
      });
      const keyId = currentKeyId();
      const { writes, book } = voiding;
      addVoidMarkWrites(writes, { accountId, eventId, reason, keyId, invoice: voiding.invoice ?? null, creditNote: voiding.creditNote?.id ?? null, at: now });
      const after = book.account;
      const message = webhookMessage(
        'usage.voided',
        { accountId, occurredAt: now, newId: context.newId },
        {
          account: accountId,
          balance: decimalString(after.balance),
          status: after.status,
          links: accountLinks(accountId),
          event: eventId,
          type: event.type,
          reason,
          version: event.version ?? 1,
          givenBack: decimalString(voiding.plan.givenBack),
          voidedAt: now.toISOString(),
        },
      );
      await watchAccounts(tx, {
        context,
        changes: [{ before: account, after, allowanceUsed: voiding.allowanceUsed, usageLowered: true }],
        spendAdded: [{ accountId, period: voiding.plan.spend.period, amount: voiding.plan.spend.amount }],
        messages: [...voiding.messages, message],
        writes,
        now,
      });
      const voided = { ...event, voided: { at: now, reason, keyId, ...(voiding.creditNote ? { creditNote: voiding.creditNote.id } : {}) } };
      return {
        answer: {
          event: voided,
          entries: book.entries.filter(isCorrection).map((e) => writtenEntryView(e, { recordedAt: now, keyId })),
          balance: decimalString(after.balance),
        },
        writes,
        changed: [accountId],
      };
    },
  });
}

/** The entries a void answers with: not the lapses of grants that expired before it. */
function isCorrection(entry: { kind: string }): boolean {
  // usage: a volume tier's credits given back by the event, taken again.
  return entry.kind === 'void' || entry.kind === 'unsettlement' || entry.kind === 'usage';
}
