// Golden numbers of DOMAIN.md model 2 (credits), written out by hand.
import { rater } from '../support/rating';

describe('model 2: credits for everything', () => {
  const credits = () => rater('credits', 'starter');

  test('1,500 input chat tokens cost 60 credits (per token, not per started 1,000)', () => {
    expect(credits().cost('chat', { input_tokens: 1500, output_tokens: 0 })).toBe('60');
  });
  test('chat output tokens cost 200 credits per 1,000: 1,000 cost 200, 1 costs 0.2', () => {
    expect(credits().cost('chat', { input_tokens: 0, output_tokens: 1000 })).toBe('200');
    expect(credits().cost('chat', { input_tokens: 0, output_tokens: 1 })).toBe('0.2');
  });
  test('tool use is free: only the text reply tokens are charged', () => {
    const rating = credits().rate('chat', { input_tokens: 100, output_tokens: 50, tool_calls: 3 });
    expect(rating.ok && rating.cost.toFixed()).toBe('14');
    const tool = rating.ok ? rating.charges.find((c) => c.service === 'chat_tool_use') : undefined;
    expect(tool?.amount.toFixed()).toBe('0');
    expect(tool?.note).toMatch(/free/);
  });
  test('a phone call costs 95 credits per minute, billed per second: 60 s = 95, 90 s = 142.5', () => {
    expect(credits().cost('call', { duration_seconds: 60, answered: true })).toBe('95');
    expect(credits().cost('call', { duration_seconds: 90, answered: true })).toBe('142.5');
  });
  test('voice AI tokens cost 295 per 1,000 in and 590 per 1,000 out', () => {
    expect(credits().cost('call', { duration_seconds: 0, answered: false, input_tokens: 1000 })).toBe('295');
    expect(credits().cost('call', { duration_seconds: 0, answered: false, output_tokens: 1000 })).toBe('590');
  });
  test('a one-minute call with 800 tokens in and 700 out costs 95 + 236 + 413 = 744 credits', () => {
    expect(credits().cost('call', { duration_seconds: 60, answered: true, input_tokens: 800, output_tokens: 700 })).toBe('744');
  });
  test('an SMS sent costs 2,500 credits per segment; one received costs 200', () => {
    expect(credits().cost('sms', { direction: 'outbound', text: 'a'.repeat(160) })).toBe('2500');
    expect(credits().cost('sms', { direction: 'outbound', text: 'a'.repeat(161) })).toBe('5000');
    expect(credits().cost('sms', { direction: 'inbound', text: 'Danke!' })).toBe('200');
  });
  test('an SMS with one emoji is UCS-2: 71 characters are two segments, 5,000 credits', () => {
    expect(credits().cost('sms', { direction: 'outbound', text: '😀' + 'a'.repeat(69) })).toBe('5000');
  });
  test('an SMS given as a segment count is charged for that count', () => {
    expect(credits().cost('sms', { direction: 'outbound', segments: 3 })).toBe('7500');
  });
  test('a WhatsApp reply inside the 24-hour window is free; only its AI tokens are charged at chat rates', () => {
    expect(credits().cost('whatsapp', { direction: 'outbound', contact: 'c', window: 'open' })).toBe('0');
    expect(credits().cost('whatsapp', { direction: 'outbound', contact: 'c', window: 'open', input_tokens: 1500, output_tokens: 500 })).toBe('160');
  });
  test('a WhatsApp message outbound outside the 24-hour window is refused: whatsapp_window_closed', () => {
    expect(credits().cost('whatsapp', { direction: 'outbound', contact: 'c', window: 'closed' })).toBe('whatsapp_window_closed');
  });
  test('an average chat conversation of about 500 credits, 10 a day for 30 days, is 150,000 credits', () => {
    const r = credits();
    let total = 0;
    for (let i = 0; i < 300; i += 1) total += Number(r.cost('chat', { input_tokens: 5000, output_tokens: 1500 }));
    expect(total).toBe(150000);
  });
});

describe('model 2: amounts that do not terminate', () => {
  test('a 61-second call at 95 credits per minute costs 96.58333333333333333333 credits (rounded at the 20th decimal)', () => {
    expect(rater('credits', 'payg').cost('call', { duration_seconds: 61, answered: true })).toBe('96.58333333333333333333');
  });
});
