// Plan change rules (pure): which kind of change, what the account must fit, prorating to the second.
import { loadCatalog } from '../../../server/src/catalog/loadCatalog';
import { findPlan } from '../../../server/src/domain/catalog/Catalog';
import { extraCredits, limitViolations, missingFeatures, planChangeKind, proratedFee, shareOf } from '../../../server/src/domain/plan/PlanChange';
import { estimate, isTrial } from '../../../server/src/domain/plan/recommend';
import { money } from '../../../server/src/domain/money';

const plans = loadCatalog('plans');
const basic = findPlan(plans, 'basic')!;
const scale = findPlan(plans, 'scale')!;
const enterprise = findPlan(plans, 'enterprise')!;
const april = { start: new Date('2026-04-01T00:00:00Z'), end: new Date('2026-05-01T00:00:00Z') };

test('a dearer plan is an upgrade, a cheaper one a downgrade, the same one nothing, another interval waits', () => {
  expect(planChangeKind({ current: basic, currentInterval: 'month', target: scale, targetInterval: 'month' })).toBe('upgrade');
  expect(planChangeKind({ current: scale, currentInterval: 'month', target: basic, targetInterval: 'month' })).toBe('downgrade');
  expect(planChangeKind({ current: basic, currentInterval: 'month', target: basic, targetInterval: 'month' })).toBe('none');
  expect(planChangeKind({ current: basic, currentInterval: 'month', target: basic, targetInterval: 'year' })).toBe('interval_change');
});

test('1,001 documents do not fit Basic; 1,000 do; Enterprise has room for 5 assistants', () => {
  expect(limitViolations(basic, { documents: 1001, assistants: 3 })).toEqual([{ limit: 'documents', allowed: 1000, current: 1001 }]);
  expect(limitViolations(basic, { documents: 1000 })).toEqual([]);
  expect(limitViolations(scale, { assistants: 5 })).toEqual([{ limit: 'assistants', allowed: 3, current: 5 }]);
  expect(limitViolations(enterprise, { assistants: 5 })).toEqual([]);
});

test('a feature used this cycle that the target plan lacks is named once', () => {
  const conversations = loadCatalog('conversations');
  const essentials = findPlan(conversations, 'essentials')!;
  expect(missingFeatures(essentials, ['autopilot', 'autopilot'])).toEqual(['autopilot']);
  expect(missingFeatures(findPlan(conversations, 'boost')!, ['autopilot'])).toEqual([]);
});

test('halfway through a 30-day April: half of Basic is 95.00, half of Scale 245.00, to the second', () => {
  const half = new Date('2026-04-16T00:00:00Z');
  expect(shareOf(april, april.start, half).toFixed()).toBe('0.5');
  expect(proratedFee({ plan: basic, interval: 'month', cycle: april, from: april.start, to: half }).toFixed(2)).toBe('95.00');
  expect(proratedFee({ plan: scale, interval: 'month', cycle: april, from: half, to: april.end }).toFixed(2)).toBe('245.00');
  // One second later: 190 × 1,296,001 / 2,592,000 = 95.0000733… → 95.00.
  expect(proratedFee({ plan: basic, interval: 'month', cycle: april, from: april.start, to: new Date('2026-04-16T00:00:01Z') }).toFixed(2)).toBe('95.00');
});

test("an upgrade from Starter to Growth halfway adds half the packages' difference in credits", () => {
  const credits = loadCatalog('credits');
  // (500,000 - 150,000) / 2 = 175,000.
  expect(extraCredits({ current: findPlan(credits, 'starter')!, target: findPlan(credits, 'growth')!, interval: 'month', cycle: april, at: new Date('2026-04-16T00:00:00Z') }).toFixed()).toBe('175000');
  expect(extraCredits({ current: findPlan(credits, 'growth')!, target: findPlan(credits, 'starter')!, interval: 'month', cycle: april, at: new Date('2026-04-16T00:00:00Z') }).toFixed()).toBe('0');
});

describe('pricing a plan for measured usage', () => {
  const conversations = loadCatalog('conversations');

  test('a trial is never recommended; paid plans are', () => {
    expect(isTrial(findPlan(conversations, 'trial')!)).toBe(true);
    expect(isTrial(findPlan(conversations, 'boost')!)).toBe(false);
    expect(isTrial(findPlan(plans, 'basic')!)).toBe(false);
  });

  test('60,000 conversations on Basic: 10,000 beyond its 50,000 at 0.004 = 40 EUR; none on Enterprise (unlimited)', () => {
    const usage = [{ service: 'chat_conversation', quantity: money(60000) }];
    expect(estimate({ catalog: plans, plan: basic, interval: 'month', usage, resources: {} }).usage.toFixed()).toBe('40');
    expect(estimate({ catalog: plans, plan: enterprise, interval: 'month', usage, resources: {} }).usage.toFixed()).toBe('0');
  });

  test('a conversation is priced once whatever it used: on Boost, 60 with suggested replies (10 beyond its 50), 30 that also used autopilot, 9 in the playground: 40 × 0.30 = 12', () => {
    const boost = findPlan(conversations, 'boost')!;
    const once = [
      ...Array.from({ length: 60 }, () => ({ services: ['ai_suggested_reply'] })),
      ...Array.from({ length: 30 }, () => ({ services: ['ai_suggested_reply', 'ai_autopilot'] })),
      ...Array.from({ length: 9 }, () => ({ services: ['ai_playground'] })),
    ];
    expect(estimate({ catalog: conversations, plan: boost, interval: 'month', usage: [], resources: {}, once }).usage.toFixed()).toBe('12');
    // Essentials lacks autopilot, which 30 of them used.
    expect(estimate({ catalog: conversations, plan: findPlan(conversations, 'essentials')!, interval: 'month', usage: [], resources: {}, once }).missingFeatures).toEqual(['autopilot']);
    // The playground with suggested replies is a suggested-reply conversation: it takes an included unit.
    expect(estimate({ catalog: conversations, plan: boost, interval: 'month', usage: [], resources: {}, once: Array.from({ length: 51 }, () => ({ services: ['ai_suggested_reply', 'ai_playground'] })) }).usage.toFixed()).toBe('0.3');
  });

  test('the same allowance is drawn once across the services it covers', () => {
    // The trial allowance of 100 covers suggested replies and autopilot together: 70 + 50 = 120, 20 beyond.
    const trial = findPlan(conversations, 'trial')!;
    const usage = [
      { service: 'ai_autopilot', quantity: money(50) },
      { service: 'ai_suggested_reply', quantity: money(70) },
    ];
    expect(estimate({ catalog: conversations, plan: trial, interval: 'month', usage, resources: {} }).usage.toFixed()).toBe('6');
  });
});
