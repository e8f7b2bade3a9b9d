// Rates one event against a preset catalog, as ingestion would, for golden tests of the domain.
import { loadCatalog } from '../../../server/src/catalog/loadCatalog';
import { findPlan, type Interval } from '../../../server/src/domain/catalog/Catalog';
import type { EventData, EventType } from '../../../server/src/domain/event/UsageEvent';
import { money } from '../../../server/src/domain/money';
import { type OnceSettled, rate, type Rating } from '../../../server/src/domain/rating/rate';
import { refusalCode } from '../../../server/src/domain/refusals';

export function rater(preset: string, planCode: string, interval: Interval = 'month') {
  const catalog = loadCatalog(preset);
  const plan = findPlan(catalog, planCode);
  if (!plan) throw new Error(`no plan ${planCode} in ${preset}`);
  const used = new Map<string, number>();
  const once = new Map<string, OnceSettled>();
  return {
    /** Pretends earlier usage: `units` of the meter used in this period (in service units). */
    used(meter: string, units: number) {
      used.set(meter, units);
    },
    rate(type: EventType, data: EventData): Rating {
      const rating = rate(type, data, {
        catalog,
        plan,
        interval,
        allowanceUsed: (meter) => money(used.get(meter) ?? 0),
        chargedBefore: (group, key) => once.get(`${group}|${key}`),
      });
      if (rating.ok) {
        for (const draw of rating.allowanceDraws) used.set(draw.meter, (used.get(draw.meter) ?? 0) + draw.units.toNumber());
        for (const o of rating.chargedOnce) once.set(`${o.group}|${o.key}`, { coveredBy: o.coveredBy, units: o.units });
      }
      return rating;
    },
    /** The cost of an event as a plain decimal string, or the refusal's code. */
    cost(type: EventType, data: EventData): string {
      const rating = this.rate(type, data);
      if (!rating.ok) return rating.error.code === 'refused' ? refusalCode(rating.error) : rating.error.code;
      return rating.cost.toFixed();
    },
  };
}

