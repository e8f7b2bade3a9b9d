// Moves a plan's subscribers (or every account) to a catalog version: the operator's way past
// grandfathering. `now` is a plan change to the same plan on the version, so it does what any plan
// change does (changePlan): a higher fee applies at once with its proration, the same fee at once
// with nothing invoiced, a lower fee waits for the cycle's end like a downgrade. `cycle_end` schedules the move with each account's
// next closing, like a scheduled plan change (a change already scheduled moves with it). An account
// whose plan the version lacks, or that the plan no longer fits, stays where it is and is named.
import type { ScheduledChange } from '../domain/account/Account';
import { findPlan } from '../domain/catalog/Catalog';
import { currentCycleEnd } from '../domain/cycle/closingTerms';
import { DomainFailure, notFound } from '../domain/errors';
import { addScheduledChangeWrite, readAccountsOffVersion } from '../store/accounts';
import { Writes } from '../store/Writes';
import { changesNothing } from '../audit/RequestTrail';
import type { Context } from './Context';
import { changePlan } from './changePlan';
import { writeAsIs } from './AccountWrite';

export interface MigrationInput {
  version: number;
  /** Only accounts on these plans; every account when absent. */
  plans?: readonly string[] | undefined;
  at: 'now' | 'cycle_end';
}

type Skipped = { account: string; reason: string };

export async function migrateToCatalogVersion(context: Context, input: MigrationInput) {
  const target = await context.catalogs.find(input.version);
  if (!target) throw new DomainFailure(notFound('catalog_version', String(input.version)));
  const candidates = await readAccountsOffVersion(context.db, { version: input.version, plans: input.plans ?? null });
  const moved: string[] = [];
  const scheduled: { account: string; at: string }[] = [];
  const skipped: Skipped[] = [];
  // One account at a time, each under its own lock: one that cannot move holds up none of the others.
  for (const { id, plan } of candidates) {
    try {
      if (input.at === 'now') {
        const answer = await changePlan(context, id, { plan, catalogVersion: input.version });
        if ('scheduled' in answer && answer.scheduled) scheduled.push({ account: id, at: answer.effectiveAt });
        else if (answer.kind !== 'none') moved.push(id);
      } else {
        const at = await scheduleMove(context, id, input.version);
        if ('reason' in at) skipped.push({ account: id, reason: at.reason });
        else scheduled.push({ account: id, at: at.at });
      }
    } catch (error) {
      if (!(error instanceof DomainFailure)) throw error;
      skipped.push({ account: id, reason: error.message });
    }
  }
  return { version: input.version, at: input.at, plans: input.plans ?? null, moved, scheduled, skipped };
}

/** Schedules the account's move to `version` with its next closing: its scheduled plan change, or its plan as it is. */
async function scheduleMove(context: Context, accountId: string, version: number): Promise<{ at: string } | { reason: string }> {
  const catalog = (await context.catalogs.get(version)).catalog;
  return writeAsIs<{ at: string } | { reason: string }>(context, {
    accounts: [accountId],
    run: async ({ accounts, now }) => {
      const account = accounts.get(accountId)!;
      const pending = account.scheduledChange;
      const plan = pending?.plan ?? account.plan;
      const refused = (reason: string) => {
        changesNothing();
        return { answer: { reason } };
      };
      if ((account.catalogVersion ?? 1) === version && !pending?.catalogVersion) return refused(`The account is on catalog version ${version} already.`);
      if (account.endsAt) return refused(`The subscription ends on ${account.endsAt.toISOString()}: nothing renews.`);
      if (!findPlan(catalog, plan)) return refused(`Catalog version ${version} has no plan '${plan}'.`);
      const change: ScheduledChange = {
        plan,
        interval: pending?.interval ?? account.interval,
        at: pending?.at ?? currentCycleEnd(account).toISOString(),
        requestedAt: pending?.requestedAt ?? now.toISOString(),
        catalogVersion: version,
      };
      return {
        answer: { at: change.at },
        writes: addScheduledChangeWrite(new Writes(), { accountId, scheduled: change, cycleEnd: null }),
        changed: [accountId],
      };
    },
  });
}
