// Tiered prices, worked out by hand: tiers up to 1,000 tokens at 0.05 EUR, up to 10,000 at 0.04,
// then 0.03. Graduated prices each unit in the tier it falls in; volume prices all the cycle's units
// at the tier its total reaches. An event's charge is what it adds to the cycle's price.
import fc from 'fast-check';
import { catalogSchema, findPlan } from '../../../server/src/domain/catalog/Catalog';
import { formatPath } from '../../../server/src/domain/fieldIssue';
import { money, type Money, sum, ZERO } from '../../../server/src/domain/money';
import { rate, type RatingContext } from '../../../server/src/domain/rating/rate';
import { chargeToJson } from '../../../server/src/domain/rating/Charge';
import { chargeSentence } from '../../../server/src/domain/report/explain';
import { chargedPrice, priceOfQuantity, resolveTiers, tieredCharge, tierVoid, type TierMode } from '../../../server/src/domain/rating/tieredPrice';
import { TIER_CATALOG, tierCatalog } from '../support/tierCatalog';

const tiers = resolveTiers(
  {
    mode: 'graduated',
    tiers: [
      { upTo: money(1000), amount: money('0.05'), per: 1 },
      { upTo: money(10000), amount: money('0.04'), per: 1 },
      { amount: money('0.03'), per: 1 },
    ],
  },
  'month',
);

/** Each event's charge and the cycle's running total, as plain strings. */
function run(mode: TierMode, quantities: number[]): { charges: string[]; totals: string[] } {
  let before = ZERO;
  let total = ZERO;
  const charges: string[] = [];
  const totals: string[] = [];
  for (const q of quantities) {
    const charge = tieredCharge(mode, tiers, before, money(q));
    before = charge.after;
    total = total.plus(charge.amount);
    charges.push(charge.amount.toFixed());
    totals.push(total.toFixed());
  }
  return { charges, totals };
}

describe('graduated tiers', () => {
  test('events of 999, 1, 1, 9,000 and 1,000 tokens cost 49.95, 0.05, 0.04, 359.99 and 30: 440.03 in all', () => {
    // 999 x 0.05 = 49.95; the 1,000th token still 0.05; the 1,001st 0.04; then 8,999 x 0.04 = 359.96
    // and 1 x 0.03 past 10,000 = 359.99; then 1,000 x 0.03 = 30.
    expect(run('graduated', [999, 1, 1, 9000, 1000])).toEqual({
      charges: ['49.95', '0.05', '0.04', '359.99', '30'],
      totals: ['49.95', '50', '50.04', '410.03', '440.03'],
    });
    // The whole cycle at once: 1,000 x 0.05 + 9,000 x 0.04 + 1,001 x 0.03 = 50 + 360 + 30.03.
    expect(priceOfQuantity('graduated', tiers, money(11001)).toFixed()).toBe('440.03');
  });

  test('one event of 9,002 tokens after 999 crosses two edges: 1 x 0.05 + 9,000 x 0.04 + 1 x 0.03 = 360.08', () => {
    const charge = tieredCharge('graduated', tiers, money(999), money(9002));
    expect(charge.amount.toFixed()).toBe('360.08');
    expect(charge.lines.map((l) => [l.tier, l.units.toFixed(), l.amount.toFixed(), l.charge.toFixed()])).toEqual([
      [1, '1', '0.05', '0.05'],
      [2, '9000', '0.04', '360'],
      [3, '1', '0.03', '0.03'],
    ]);
  });
});

describe('volume tiers', () => {
  test('events of 999, 1, 1, 9,000 and 1,000 tokens: the 1,001st token reprices the cycle at 0.04 and gives 9.96 back', () => {
    // 999 x 0.05 = 49.95; 1,000 x 0.05 = 50 (+0.05); 1,001 x 0.04 = 40.04 (-9.96);
    // 10,001 x 0.03 = 300.03 (+259.99); 11,001 x 0.03 = 330.03 (+30).
    expect(run('volume', [999, 1, 1, 9000, 1000])).toEqual({
      charges: ['49.95', '0.05', '-9.96', '259.99', '30'],
      totals: ['49.95', '50', '40.04', '300.03', '330.03'],
    });
  });

  test('one event of 12,000 tokens crosses two edges: all 12,000 at 0.03 = 360', () => {
    const charge = tieredCharge('volume', tiers, ZERO, money(12000));
    expect(charge.amount.toFixed()).toBe('360');
    expect(charge.lines.map((l) => [l.tier, l.units.toFixed()])).toEqual([[3, '12000']]);
  });

  test('the event that reaches a cheaper tier is traced as the whole cycle at the new price less what was charged before', () => {
    const charge = tieredCharge('volume', tiers, money(1000), money(1));
    expect(charge.lines.map((l) => [l.tier, l.units.toFixed(), l.charge.toFixed()])).toEqual([
      [2, '1001', '40.04'],
      [1, '-1000', '-50'],
    ]);
  });
});

describe('tier properties', () => {
  const tierList = fc.uniqueArray(fc.integer({ min: 1, max: 5000 }), { minLength: 0, maxLength: 4 }).chain((edges) =>
    fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: edges.length + 1, maxLength: edges.length + 1 }).map((cents) => {
      const sorted = [...edges].sort((a, b) => a - b);
      return resolveTiers(
        {
          mode: 'graduated',
          tiers: cents.map((c, i) => ({
            ...(i < sorted.length ? { upTo: money(sorted[i]!) } : {}),
            amount: money(c).dividedBy(100),
            per: [1, 10, 1000][i % 3]!,
          })),
        },
        'month',
      );
    }),
  );
  const split = fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 12 });

  test('graduated: the charges of any split of a quantity add up to the price of the whole', () => {
    fc.assert(
      fc.property(tierList, split, (list, parts) => {
        let before = ZERO;
        const charges: Money[] = [];
        for (const q of parts) {
          const charge = tieredCharge('graduated', list, before, money(q));
          charges.push(charge.amount);
          before = charge.after;
        }
        expect(sum(charges).toFixed()).toBe(priceOfQuantity('graduated', list, before).toFixed());
        expect(charges.every((c) => !c.isNegative())).toBe(true);
      }),
    );
  });

  test('volume: the running total always equals the volume price of the cycle so far', () => {
    fc.assert(
      fc.property(tierList, split, (list, parts) => {
        let before = ZERO;
        let total = ZERO;
        for (const q of parts) {
          const charge = tieredCharge('volume', list, before, money(q));
          total = total.plus(charge.amount);
          before = charge.after;
          const reached = list.find((t) => t.upTo === undefined || before.lessThanOrEqualTo(t.upTo))!;
          expect(total.toFixed()).toBe(before.times(reached.amount).dividedBy(reached.per).toFixed());
        }
      }),
    );
  });
});

describe('voids of earlier events on tiered prices', () => {
  /** A cycle's events and voids, kept as tier_usage keeps them: what each charged and gave back, in money. */
  function cycle(mode: TierMode) {
    let count = { quantity: ZERO, charged: ZERO };
    let paid = ZERO;
    const events: { units: Money; charge: Money }[] = [];
    return {
      event(units: number, at = tiers) {
        const charge = tieredCharge(mode, at, count.quantity, money(units), count.charged);
        count = { quantity: charge.after, charged: count.charged.plus(charge.amount) };
        paid = paid.plus(charge.amount);
        events.push({ units: money(units), charge: charge.amount });
        return charge.amount.toFixed();
      },
      void(index: number, at = tiers) {
        const settled = tierVoid(mode, at, count, events[index]!.units);
        count = { quantity: settled.quantity, charged: settled.charged };
        paid = paid.minus(settled.givenBack);
        return settled.givenBack.toFixed();
      },
      paid: () => paid.toFixed(),
      count: () => count,
    };
  }

  test('volume: 1,000 tokens cost 50, 1 more -9.96; voiding the 1,000 gives back 39.99 (not 50), and 1,000 more cost 39.99: 1,001 tokens paid 40.04', () => {
    const c = cycle('volume');
    expect([c.event(1000), c.event(1)]).toEqual(['50', '-9.96']);
    // The cycle was charged 40.04 for 1,001 tokens; 1 token stands, priced 0.05: 40.04 - 0.05 = 39.99 back.
    expect(c.void(0)).toBe('39.99');
    expect(c.paid()).toBe('0.05');
    // 1,001 tokens at 0.04 = 40.04, less the 0.05 charged: 39.99.
    expect(c.event(1000)).toBe('39.99');
    expect(c.paid()).toBe('40.04');
  });

  test('graduated: 1,000 + 1,000 tokens cost 50 + 40; voiding the first gives back 40; 1,000 more cost 40: 2,000 tokens paid 90', () => {
    const c = cycle('graduated');
    expect([c.event(1000), c.event(1000)]).toEqual(['50', '40']);
    // 1,000 tokens stand, priced 50: the cycle was charged 90, so 40 goes back.
    expect(c.void(0)).toBe('40');
    expect(c.event(1000)).toBe('40');
    expect(c.paid()).toBe('90');
    expect(priceOfQuantity('graduated', tiers, money(2000)).toFixed()).toBe('90');
  });

  test('a price changed in the cycle is settled by the next event, and its trace says by how much', () => {
    const cheaper = resolveTiers({ mode: 'graduated', tiers: [{ amount: money('0.01'), per: 1 }] }, 'month');
    const c = cycle('graduated');
    expect(c.event(1000)).toBe('50');
    // 1,100 tokens at 0.01 = 11, less the 50 charged: -39. The 1,000 tokens before were charged 50, 40 more than their 10 at 0.01.
    const charge = tieredCharge('graduated', cheaper, money(1000), money(100), money(50));
    expect([charge.amount.toFixed(), charge.adjustment?.toFixed()]).toEqual(['-39', '40']);
  });

  const tierSets = fc.array(
    fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 900 }), fc.integer({ min: 0, max: 900 }), fc.integer({ min: 0, max: 900 })),
    { minLength: 1, maxLength: 3 },
  );
  const steps = fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 4000 }), fc.nat(), fc.nat()), { minLength: 1, maxLength: 25 });

  test.each(['graduated', 'volume'] as const)(
    '%s: after any events and voids, at whatever price each came, the cycle has paid the price of its standing quantity at the price in effect',
    (mode) => {
      fc.assert(
        fc.property(tierSets, steps, (sets, ops) => {
          const prices = sets.map(([edge, a, b, c]) =>
            resolveTiers(
              {
                mode,
                tiers: [
                  { upTo: money(edge), amount: money(a).dividedBy(100), per: 1 },
                  { upTo: money(edge * 3), amount: money(b).dividedBy(1000), per: 1 },
                  { amount: money(c).dividedBy(100), per: 10 },
                ],
              },
              'month',
            ),
          );
          const c = cycle(mode);
          const standing: number[] = [];
          const units: number[] = [];
          for (const [isVoid, quantity, pick, price] of ops) {
            const at = prices[price % prices.length]!;
            let priced: boolean;
            if (isVoid && standing.length > 0) {
              c.void(standing.splice(pick % standing.length, 1)[0]!, at);
              priced = true;
            } else {
              units.push(quantity);
              standing.push(units.length - 1);
              c.event(quantity, at);
              // An event of no units changes nothing: the cycle keeps the price it had.
              priced = quantity > 0;
            }
            const standingQuantity = money(standing.reduce((total, i) => total + units[i]!, 0));
            expect(c.count().quantity.toFixed()).toBe(standingQuantity.toFixed());
            // What the cycle paid in money is what it is charged...
            expect(c.paid()).toBe(c.count().charged.toFixed());
            // ...and that is the price of what stands, at the price the last event or void met.
            if (priced) expect(c.count().charged.toFixed()).toBe(chargedPrice(mode, at, standingQuantity).toFixed());
          }
        }),
      );
    },
  );
});

describe('tiers in the catalog', () => {
  const issues = (change: (raw: typeof TIER_CATALOG) => void) => {
    const raw = structuredClone(TIER_CATALOG);
    change(raw);
    const parsed = catalogSchema.safeParse(raw);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
  };

  test('the presets still read, and the tier catalog reads', () => {
    expect(issues(() => {})).toEqual([]);
  });

  test('upTo must rise strictly, and an error names its path', () => {
    expect(
      issues(
        (raw) => (raw.services[0]!.price = { mode: 'graduated', tiers: [{ upTo: 1000, amount: '0.05' }, { upTo: 1000, amount: '0.04' }, { amount: '0.03' }] }),
      ),
    ).toEqual(["services[0].price.tiers[1].upTo: must be greater than the tier before's upTo (1000)"]);
  });

  test('the last tier has no upTo, every other one has', () => {
    expect(issues((raw) => (raw.services[0]!.price = { mode: 'graduated', tiers: [{ amount: '0.05' }, { upTo: 10, amount: '0.04' }] }))).toEqual([
      'services[0].price.tiers[0].upTo: required on every tier but the last',
      'services[0].price.tiers[1].upTo: the last tier has no upTo: it runs on without end',
    ]);
  });

  test('a bad amount inside a tier is named by its path', () => {
    // A decimal or { month, year }, as a flat price's amount: zod's union says only that neither fits.
    expect(issues((raw) => (raw.services[1]!.price = { mode: 'volume', tiers: [{ amount: '-1' }] }))).toEqual([
      'services[1].price.tiers[0].amount: Invalid input',
    ]);
  });

  test("a plan's override of a tiered service must give tiers", () => {
    expect(issues((raw) => ((raw.plans[0] as Record<string, unknown>)['overrides'] = { chat_input: { price: '0.01' } }))).toEqual([
      "plans[0].overrides.chat_input.price: service 'chat_input' is priced in tiers: its override gives tiers too ({ mode, tiers })",
    ]);
  });
});

describe('tiers in rating', () => {
  const catalog = tierCatalog();
  const context = (planCode: string, counted: number, extra: Partial<RatingContext> = {}): RatingContext => ({
    catalog,
    plan: findPlan(catalog, planCode)!,
    interval: 'month',
    allowanceUsed: () => ZERO,
    chargedBefore: () => undefined,
    tierQuantity: (service) => (service === 'chat_input' ? money(counted) : ZERO),
    ...extra,
  });

  test('an event of 2 input tokens after 999 this cycle costs 0.05 + 0.04 = 0.09, traced per tier', () => {
    const rating = rate('chat', { input_tokens: 2, output_tokens: 0 }, context('payg', 999));
    if (!rating.ok) throw new Error(rating.error.message);
    expect(rating.cost.toFixed()).toBe('0.09');
    expect(rating.tierDraws.map((d) => [d.service, d.units.toFixed()])).toEqual([['chat_input', '2']]);
    const json = chargeToJson(rating.charges[0]!);
    expect(json.tiers).toEqual({
      mode: 'graduated',
      before: '999',
      after: '1001',
      lines: [
        { tier: 1, units: '1', rate: { amount: '0.05', per: 1 }, amount: '0.05' },
        { tier: 2, units: '1', rate: { amount: '0.04', per: 1 }, amount: '0.04' },
      ],
    });
    expect(chargeSentence(json, 'EUR')).toBe(
      'Chat input tokens: 2 tokens measured; 2 tokens charged in graduated tiers, the cycle at 999 tokens before: 1 token in tier 1 at 0.05 EUR per token = 0.05 EUR, 1 token in tier 2 at 0.04 EUR per token = 0.04 EUR; in all 0.09 EUR.',
    );
  });

  test('tiers count what the included allowance leaves: 600 tokens on 500 included charge 100 in tier 1 = 5.00', () => {
    const rating = rate('chat', { input_tokens: 600, output_tokens: 0 }, context('included', 0));
    if (!rating.ok) throw new Error(rating.error.message);
    expect(rating.cost.toFixed()).toBe('5');
    expect(rating.tierDraws.map((d) => d.units.toFixed())).toEqual(['100']);
  });

  test("the account's own price beats the plan's override: 90 seconds at 0.12 per minute = 0.18, not the plan's 0.30", () => {
    const accountPrices = { call_seconds: { price: { amount: money('0.12'), per: 60 } } };
    const rating = rate('call', { duration_seconds: 90 }, context('discount', 0, { accountPrices }));
    if (!rating.ok) throw new Error(rating.error.message);
    expect(rating.cost.toFixed()).toBe('0.18');
    const json = chargeToJson(rating.charges[0]!);
    expect(json.priceSource).toBe('account');
    expect(chargeSentence(json, 'EUR')).toBe(
      "Call seconds: 90 seconds measured; billed in 1/1 increments as 90 seconds; 90 seconds charged at 0.12 EUR per minute = 0.18 EUR at the account's agreed price.",
    );
    // Without it, the plan's override: 90 x 0.30 / 60 = 0.45.
    const plan = rate('call', { duration_seconds: 90 }, context('discount', 0));
    expect(plan.ok && plan.cost.toFixed()).toBe('0.45');
  });
});
