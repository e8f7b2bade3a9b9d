// Answers "may this account start this usage now?" from the account's current state.
import type { EventData, EventType } from '../domain/event/UsageEvent';
import { WHATSAPP_WINDOW_MS } from '../domain/ingestion/planIngestion';
import { authorize } from '../domain/limits/authorize';
import { refusalCode } from '../domain/refusals';
import { decimalString, ZERO } from '../domain/money';
import type { Context } from './Context';
import { cycleKey } from '../domain/cycle/Cycle';
import { readChargedOnceFor } from '../store/chargedOnce';
import { readLastInbound } from '../store/usageEvents';

export async function authorizeUsage(context: Context, { accountId, type, data }: { accountId: string; type: EventType; data: EventData }) {
  const usage = await context.snapshots.usage(accountId);
  const facts: EventData = { ...data };
  if (type === 'whatsapp' && typeof data['contact'] === 'string') {
    const lastInbound = await readLastInbound(context.db, accountId, data['contact']);
    const now = context.clock.now().getTime();
    const open = data['direction'] === 'inbound' || (lastInbound !== undefined && now < lastInbound.getTime() + WHATSAPP_WINDOW_MS);
    facts['window'] = open ? 'open' : 'closed';
  }
  const settled = await readChargedOnceFor(context.db, { catalog: usage.catalog, accountId, period: cycleKey(usage.cycle), type, data: facts });
  const decision = authorize({
    catalog: usage.catalog,
    plan: usage.plan,
    account: usage.account,
    type,
    data: facts,
    available: usage.available,
    allowanceUsed: (meter) => (usage.used.get(meter) ?? ZERO).plus(usage.held.units.get(meter) ?? ZERO),
    spendLimit: usage.spendLimit,
    chargedBefore: (group, key) => settled.get(`${group}|${key}`),
    at: context.clock.now(),
    ...(usage.account.prices ? { accountPrices: usage.account.prices } : {}),
    tierQuantity: (service) => (usage.tierUsed.get(service) ?? ZERO).plus(usage.held.tiers.get(service) ?? ZERO),
  });
  const answer = decision.allowed
    ? {
        allowed: true as const,
        estimatedCost: decimalString(decision.estimate.cost),
        ...(decision.maxDurationSeconds !== undefined ? { maxDurationSeconds: decision.maxDurationSeconds } : {}),
      }
    : { allowed: false as const, reason: refusalCode(decision.refusal), message: decision.refusal.message };
  return {
    ...answer,
    balance: decimalString(usage.account.balance),
    available: decimalString(usage.available),
    held: decimalString(usage.held.amount),
    status: usage.account.status,
  };
}
