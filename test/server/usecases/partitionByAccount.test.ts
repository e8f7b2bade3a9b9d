// Splitting a group of events for transactions that run at once: no account in two parts, order
// kept within each part, every event in exactly one part, parts near-equal.
import fc from 'fast-check';
import { partitionByAccount } from '../../../server/src/usecases/partitionByAccount';

const at = (...accounts: string[]) => accounts.map((account) => ({ account }));

describe('partitionByAccount', () => {
  test('two parts of three events each: the largest account first, then each into the emptier part', () => {
    expect(partitionByAccount(at('a', 'b', 'a', 'c', 'a', 'd'), 2)).toEqual([
      [0, 2, 4],
      [1, 3, 5],
    ]);
  });

  test('one account is never split, however many parts are asked for', () => {
    expect(partitionByAccount(at('hot', 'hot', 'hot'), 4)).toEqual([[0, 1, 2]]);
  });

  test('no more parts than accounts, and one part when one is asked for', () => {
    expect(partitionByAccount(at('a', 'b'), 5)).toHaveLength(2);
    expect(partitionByAccount(at('a', 'b', 'c'), 1)).toEqual([[0, 1, 2]]);
  });

  test('for any events and any number of parts: each event once, accounts whole, order kept', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 5 }), (accounts, parts) => {
        const events = at(...accounts);
        const split = partitionByAccount(events, parts);
        expect(split.flat().sort((x, y) => x - y)).toEqual(events.map((_, i) => i));
        const owner = new Map<string, number>();
        split.forEach((part, p) => {
          expect(part.length).toBeGreaterThan(0);
          expect([...part].sort((x, y) => x - y)).toEqual(part);
          for (const i of part) {
            expect(owner.get(events[i]!.account) ?? p).toBe(p);
            owner.set(events[i]!.account, p);
          }
        });
        // Greedy by size: no part exceeds the smallest by more than the largest account's events.
        const largest = Math.max(...[...new Set(accounts)].map((a) => accounts.filter((x) => x === a).length));
        const sizes = split.map((p) => p.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(largest);
      }),
    );
  });
});
