// One NOTIFY per transaction names every account it changed; PostgreSQL caps a payload below 8,000
// bytes, so many accounts travel in several payloads.
import { accountChangePayloads, changedAccountsIn, changeOrigin } from '../../../server/src/store/books';

describe('account change notifications', () => {
  test('a few accounts travel in one payload and come back as they went', () => {
    const payloads = accountChangePayloads(['acme', 'shop-1', 'a.b@c']);
    expect(payloads).toEqual(['acme shop-1 a.b@c']);
    expect(changedAccountsIn(payloads[0]!)).toEqual(['acme', 'shop-1', 'a.b@c']);
  });

  test('a thousand long ids are split into payloads under 8,000 bytes, none lost', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `${'x'.repeat(120)}-${i}`);
    const payloads = accountChangePayloads(ids);
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThan(8000);
    expect(payloads.flatMap(changedAccountsIn)).toEqual(ids);
  });

  test('no accounts, no payload', () => {
    expect(accountChangePayloads([])).toEqual([]);
    expect(accountChangePayloads([], 'writer-1')).toEqual([]);
  });

  test('a writer that names itself comes first in every payload, and is not taken for an account', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `${'y'.repeat(120)}-${i}`);
    const payloads = accountChangePayloads(ids, 'writer-1');
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) {
      expect(Buffer.byteLength(payload)).toBeLessThan(8000);
      expect(changeOrigin(payload)).toBe('writer-1');
    }
    expect(payloads.flatMap(changedAccountsIn)).toEqual(ids);
    expect(changeOrigin('acme shop-1')).toBeUndefined();
  });
});
