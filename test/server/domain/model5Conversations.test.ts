// Golden numbers of DOMAIN.md model 5 (per-conversation AI charges), written out by hand.
import { rater } from '../support/rating';

const conversation = (feature: string, id: string) => ({ conversation: id, feature });

describe('model 5: per-conversation AI charges', () => {
  test.each([
    ['essentials', 'month', 20, '0.3'],
    ['essentials', 'year', 240, '0.25'],
    ['boost', 'month', 50, '0.3'],
    ['boost', 'year', 600, '0.25'],
    ['pro', 'month', 100, '0.3'],
    ['pro', 'year', 1200, '0.25'],
  ] as const)('%s (%s) includes %i suggested-reply conversations; the next costs %s EUR', (plan, interval, included, price) => {
    const r = rater('conversations', plan, interval);
    for (let i = 1; i <= included; i += 1) expect(r.cost('ai_conversation', conversation('suggested_reply', `c${i}`))).toBe('0');
    expect(r.cost('ai_conversation', conversation('suggested_reply', 'one-more'))).toBe(price);
  });
  test('every autopilot conversation costs 0.30 EUR on monthly billing and 0.25 EUR on yearly', () => {
    expect(rater('conversations', 'boost', 'month').cost('ai_conversation', conversation('autopilot', 'a'))).toBe('0.3');
    expect(rater('conversations', 'pro', 'year').cost('ai_conversation', conversation('autopilot', 'a'))).toBe('0.25');
  });
  test('Essentials has no autopilot: such an event is refused with feature_not_in_plan', () => {
    expect(rater('conversations', 'essentials').cost('ai_conversation', conversation('autopilot', 'a'))).toBe('feature_not_in_plan');
  });
  test('a conversation that uses both autopilot and suggested replies is charged once', () => {
    const r = rater('conversations', 'boost');
    r.used('suggested_reply_conversations', 50);
    expect(r.cost('ai_conversation', conversation('autopilot', 'same'))).toBe('0.3');
    const again = r.rate('ai_conversation', conversation('suggested_reply', 'same'));
    expect(again.ok && again.cost.toFixed()).toBe('0');
    expect(again.ok && again.charges[0]!.note).toMatch(/Already charged once/);
  });
  test('playground messages are included (free)', () => {
    expect(rater('conversations', 'essentials').cost('ai_conversation', conversation('playground', 'p'))).toBe('0');
  });
  test('a trial has 100 conversations in total across playground, autopilot and suggested replies, then refuses', () => {
    const r = rater('conversations', 'trial');
    const features = ['playground', 'autopilot', 'suggested_reply'];
    for (let i = 0; i < 100; i += 1) expect(r.cost('ai_conversation', conversation(features[i % 3]!, `t${i}`))).toBe('0');
    const refused = r.rate('ai_conversation', conversation('suggested_reply', 't100'));
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('allowance_exhausted');
      expect(refused.error.message).toMatch(/100 conversations/);
    }
  });

  describe('the order of a conversation\'s events does not change its price', () => {
    test('on Boost, a suggested reply from the included 50 and then autopilot in the same conversation costs 0.30 EUR, and the unit goes back', () => {
      const r = rater('conversations', 'boost');
      expect(r.cost('ai_conversation', conversation('suggested_reply', 'x'))).toBe('0');
      const autopilot = r.rate('ai_conversation', conversation('autopilot', 'x'));
      expect(autopilot.ok && autopilot.cost.toFixed()).toBe('0.3');
      expect(autopilot.ok && autopilot.allowanceDraws.map((d) => [d.meter, d.units.toFixed()])).toEqual([['suggested_reply_conversations', '-1']]);
      expect(autopilot.ok && autopilot.charges[0]!.note).toMatch(/had taken an included unit of suggested_reply_conversations; charged now as AI conversation \(autopilot\), and the unit goes back/);
      // The unit is back: 50 more suggested-reply conversations are included, the 51st costs 0.30.
      for (let i = 0; i < 50; i += 1) expect(r.cost('ai_conversation', conversation('suggested_reply', `more-${i}`))).toBe('0');
      expect(r.cost('ai_conversation', conversation('suggested_reply', 'past'))).toBe('0.3');
      // And the autopilot conversation is charged once: more of either in it costs nothing.
      expect(r.cost('ai_conversation', conversation('suggested_reply', 'x'))).toBe('0');
      expect(r.cost('ai_conversation', conversation('autopilot', 'x'))).toBe('0');
    });

    test.each([
      [['suggested_reply', 'autopilot', 'playground']],
      [['suggested_reply', 'playground', 'autopilot']],
      [['autopilot', 'suggested_reply', 'playground']],
      [['autopilot', 'playground', 'suggested_reply']],
      [['playground', 'suggested_reply', 'autopilot']],
      [['playground', 'autopilot', 'suggested_reply']],
    ])('on Boost, a conversation using %j costs 0.30 EUR in all', (features) => {
      const r = rater('conversations', 'boost');
      const total = features.reduce((sum, feature) => sum + Number(r.cost('ai_conversation', conversation(feature, 'c'))), 0);
      expect(total.toFixed(2)).toBe('0.30');
    });

    test('on Pro yearly, the same conversation costs 0.25 EUR in either order', () => {
      for (const order of [['suggested_reply', 'autopilot'], ['autopilot', 'suggested_reply']]) {
        const r = rater('conversations', 'pro', 'year');
        expect(order.map((feature) => r.cost('ai_conversation', conversation(feature, 'c')))).toEqual(order[0] === 'autopilot' ? ['0.25', '0'] : ['0', '0.25']);
      }
    });

    test('the playground never makes a conversation chargeable: past the included 50, a playground conversation then a suggested reply costs 0.30 once', () => {
      const r = rater('conversations', 'boost');
      r.used('suggested_reply_conversations', 50);
      expect(r.cost('ai_conversation', conversation('playground', 'p'))).toBe('0');
      expect(r.cost('ai_conversation', conversation('playground', 'p'))).toBe('0');
      expect(r.cost('ai_conversation', conversation('suggested_reply', 'p'))).toBe('0.3');
      expect(r.cost('ai_conversation', conversation('suggested_reply', 'p'))).toBe('0');
    });
  });

  test('the trial counts distinct conversations: one that uses all three features counts once, and may go on after the 100th', () => {
    const r = rater('conversations', 'trial');
    for (const feature of ['suggested_reply', 'autopilot', 'playground', 'suggested_reply']) expect(r.cost('ai_conversation', conversation(feature, 'first'))).toBe('0');
    for (let i = 2; i <= 100; i += 1) expect(r.cost('ai_conversation', conversation(['playground', 'autopilot', 'suggested_reply'][i % 3]!, `t${i}`))).toBe('0');
    expect(r.cost('ai_conversation', conversation('suggested_reply', 't101'))).toBe('allowance_exhausted');
    // A conversation already counted is not a new one.
    expect(r.cost('ai_conversation', conversation('playground', 'first'))).toBe('0');
    expect(r.cost('ai_conversation', conversation('autopilot', 't50'))).toBe('0');
  });
});
