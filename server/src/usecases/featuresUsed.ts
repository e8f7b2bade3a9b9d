// The plan features an account's usage needed in a period: a plan that lacks one of them does not
// fit the account (a downgrade is refused, or not applied when it falls due).
import type { Account } from '../domain/account/Account';
import { RECURRING_CHANNELS } from '../domain/report/CostReport';
import type { Queryable } from '../store/Database';
import { sumRollups } from '../store/reports';
import type { Catalog } from '../domain/catalog/Catalog';

/** Features that services the account used from `from` to `to` need. */
export async function featuresUsed(
  tx: Queryable,
  { catalog, account, from, to }: { catalog: Catalog; account: Account; from: Date; to: Date },
): Promise<string[]> {
  const sums = await sumRollups(tx, { account: account.id, from, to }, ['channel', 'service']);
  return sums
    .filter((s) => s.charges > 0 && !RECURRING_CHANNELS.includes(s.dimensions.channel ?? ''))
    .map((s) => catalog.services.find((service) => service.code === s.dimensions.service)?.feature)
    .filter((feature): feature is string => feature !== undefined);
}
