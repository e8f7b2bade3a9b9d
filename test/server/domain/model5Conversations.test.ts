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
});
