// The figures alert rules judge, taken from an account's state in the cycle containing `now`.
import type { Account } from '../account/Account';
import { allowancePeriod, includedUnits, inMeterUnits } from '../allowance/Allowance';
import type { Plan } from '../catalog/Catalog';
import type { Cycle } from '../cycle/Cycle';
import { type Money, ZERO } from '../money';
import type { AccountFigures } from './AlertRule';

export function accountFigures(input: {
  account: Account;
  plan: Plan;
  cycle: Cycle;
  cycleSpend: Money;
  /** Service units used, by `${meter}|${period}`. */
  allowanceUsed: ReadonlyMap<string, Money>;
}): AccountFigures {
  const { account, plan, cycle } = input;
  const allowances = new Map<string, { used: Money; included: Money | 'unlimited'; unit: string }>();
  for (const allowance of plan.allowances) {
    const used = input.allowanceUsed.get(`${allowance.meter}|${allowancePeriod(allowance, cycle)}`) ?? ZERO;
    const included = includedUnits(allowance, account.interval);
    allowances.set(allowance.meter, {
      used: inMeterUnits(used, allowance),
      included: included === 'unlimited' ? included : inMeterUnits(included, allowance),
      unit: allowance.unit,
    });
  }
  return { balance: account.balance, cycleSpend: input.cycleSpend, allowances };
}
