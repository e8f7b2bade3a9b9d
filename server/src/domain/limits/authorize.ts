// Real-time limits: may the account start this usage now? Refusal rules, plan features and hard
// allowance limits say no outright; a prepaid account also needs a balance that covers the cost
// it can estimate, and a postpaid account with a spend limit room under it, unless the usage is
// free or fully inside an included allowance.
import { type Account, endedRefusal } from '../account/Account';
import { allowanceCovering, includedUnits, remainingUnits } from '../allowance/Allowance';
import type { Catalog, Interval, Plan } from '../catalog/Catalog';
import type { EventData, EventType } from '../event/UsageEvent';
import { matches } from '../rating/matches';
import { priceInEffect } from '../rating/priceInEffect';
import { type AllowanceDraw, rate, type RatingContext, type TierDraw } from '../rating/rate';
import { Money, ZERO } from '../money';
import { CALL_TOKEN_FIELDS, longestAffordableCall, withEstimatedTokens } from './callEstimate';
import { type SpendState, spendRoom, takesSpendLimit } from './SpendLimit';
import { estimateUnrated, insufficientBalance, type Refusal, spendLimitRefusal } from '../refusals';

export type Authorization =
  | {
      allowed: true;
      estimate: Estimate;
      /**
       * For a call: the longest it may last, in seconds, that what the account can spend now pays
       * (at most a day); null where nothing limits it (postpaid without a spend limit).
       */
      maxDurationSeconds?: number | null;
    }
  | { allowed: false; refusal: Refusal };

/** What the usage is expected to cost, and the allowance units and tiered units it is expected to draw. */
export interface Estimate {
  cost: Money;
  allowanceDraws: AllowanceDraw[];
  tierDraws: TierDraw[];
}

export function authorize(input: {
  catalog: Catalog;
  plan: Plan;
  account: Account;
  type: EventType;
  data: EventData;
  /** Balance the account can spend now: its usable grants minus its debt and its reservations' holds. */
  available: Money;
  /** Units of a meter used or held by reservations in its current period. */
  allowanceUsed: (meter: string) => Money;
  /** A postpaid account's spend limit, where it has one: what it has spent and holds in this cycle. */
  spendLimit?: SpendState | undefined;
  /** How the usage's charge-once keys (its conversation) were settled in this cycle; none when not read. */
  chargedBefore?: RatingContext['chargedBefore'] | undefined;
  /** When the usage would start. */
  at: Date;
  /** The account's own prices. */
  accountPrices?: RatingContext['accountPrices'];
  /** Chargeable units the current cycle's tiers counted so far (and reservations hold), by service. */
  tierQuantity?: RatingContext['tierQuantity'];
}): Authorization {
  const { catalog, plan, account, type, data } = input;
  const ended = endedRefusal(account, input.at, 'usage');
  if (ended) return refused(ended);
  const interval: Interval = account.interval;
  const context: RatingContext = {
    catalog,
    plan,
    interval,
    allowanceUsed: input.allowanceUsed,
    chargedBefore: input.chargedBefore ?? (() => undefined),
    estimate: true,
    ...(input.accountPrices ? { accountPrices: input.accountPrices } : {}),
    ...(input.tierQuantity ? { tierQuantity: input.tierQuantity } : {}),
  };
  // A call's estimate that names no tokens counts them at the catalog's typical rate per minute.
  const rating = rate(type, type === 'call' ? withEstimatedTokens(catalog, data) : data, context);
  if (!rating.ok) return refused(rating.error.code === 'refused' ? rating.error : estimateUnrated(rating.error));
  const estimate = { cost: rating.cost, allowanceDraws: rating.allowanceDraws, tierDraws: rating.tierDraws };
  const budget = budgetOf(input);
  if (!budget) return { allowed: true, estimate, ...(type === 'call' ? { maxDurationSeconds: null } : {}) };
  // Computed only for an answer that allows: a refusal has no duration to offer.
  const allowed = (): Authorization => ({
    allowed: true,
    estimate,
    ...(type === 'call' ? { maxDurationSeconds: longestCall({ catalog, data, context, available: budget.room }) } : {}),
  });

  if (rating.cost.greaterThan(0)) return rating.cost.lessThanOrEqualTo(budget.room) ? allowed() : budget.refuse(rating.cost);
  if (budget.room.greaterThan(0)) return allowed();

  // Nothing to spend: allowed only if every priced service it would use is covered by an
  // included allowance that still has room.
  const services = catalog.services.filter((s) => s.event === type && matches(s.when, data));
  const coveredOrFree = services.every((service) => {
    if (settledBefore({ service, data, plan, chargedBefore: context.chargedBefore })) return true;
    const rule = priceInEffect(service, plan, interval, input.accountPrices).rule;
    const isFree = rule.kind === 'flat' ? rule.amount.isZero() : rule.tiers.every((t) => t.amount.isZero());
    if (isFree) return true;
    const allowance = allowanceCovering(plan, service.code);
    if (!allowance) return false;
    const remaining = remainingUnits(includedUnits(allowance, interval), input.allowanceUsed(allowance.meter));
    return remaining === 'unlimited' || remaining.greaterThan(ZERO);
  });
  return coveredOrFree ? allowed() : budget.refuse();
}

/**
 * Whether the usage's charge-once key (its conversation) was charged, or counted in this service's
 * allowance, already this cycle: then this service adds nothing, as rating will find.
 */
function settledBefore({
  service,
  data,
  plan,
  chargedBefore,
}: {
  service: Catalog['services'][number];
  data: EventData;
  plan: Plan;
  chargedBefore: RatingContext['chargedBefore'];
}): boolean {
  const value = service.chargeOnce ? data[service.chargeOnce.key] : undefined;
  if (!service.chargeOnce || value === undefined || value === null) return false;
  const settled = chargedBefore(service.chargeOnce.group, String(value));
  return settled !== undefined && (settled.coveredBy === null || settled.coveredBy === allowanceCovering(plan, service.code)?.meter);
}

/**
 * What bounds the account's spending now, and how a refusal says so: a prepaid account's
 * available balance, a postpaid account's spend limit; nothing for a postpaid account without one.
 */
function budgetOf(input: Parameters<typeof authorize>[0]): { room: Money; refuse: (cost?: Money) => Authorization } | undefined {
  const { catalog, plan, available } = input;
  if (plan.billing === 'prepaid') {
    return {
      room: available,
      refuse: (cost) =>
        refused(
          insufficientBalance({ purpose: cost ? 'By its estimate, this usage' : 'This usage', cost: cost ?? null, available, unit: catalog.balanceUnit }),
        ),
    };
  }
  const limit = input.spendLimit;
  if (!limit || !takesSpendLimit(catalog, plan)) return undefined;
  return { room: spendRoom(limit), refuse: (cost) => refused(spendLimitRefusal(limit, catalog.currency, cost ?? null)) };
}

/**
 * The longest call the account can pay now: free or covered usage always fits, anything else must
 * fit in what it can spend. Where the catalog counts tokens per minute, the caller's token figures
 * are dropped so that tokens grow with the call's length.
 */
function longestCall({
  catalog,
  data,
  context,
  available,
}: {
  catalog: Catalog;
  data: EventData;
  context: Parameters<typeof rate>[2];
  available: Money;
}): number {
  const base: EventData = { ...data };
  if (catalog.estimates.call) for (const field of CALL_TOKEN_FIELDS) delete base[field];
  return longestAffordableCall(
    base,
    (call) => {
      const rated = rate('call', withEstimatedTokens(catalog, call), context);
      return rated.ok ? rated.cost : undefined;
    },
    available,
  );
}

function refused(refusal: Refusal): Authorization {
  return { allowed: false, refusal };
}
