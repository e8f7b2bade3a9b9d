// Ids minted for ledger entries, grants and invoices: prefixed ULIDs, unique and ascending in the
// order they were minted, with random parts that use the whole Crockford alphabet.
import { ulidIds } from '../../../server/src/usecases/Context';

test('10,000 ids in a row are distinct, ascending and prefixed, and their random parts vary', () => {
  const newId = ulidIds();
  const ids = Array.from({ length: 10_000 }, () => newId('led'));
  expect(new Set(ids).size).toBe(10_000);
  expect([...ids].sort()).toEqual(ids);
  for (const id of ids) expect(id).toMatch(/^led_[0-9A-HJKMNP-TV-Z]{26}$/);
  // Two minters seed their random parts independently.
  const other = ulidIds()('led');
  expect(other.slice(14)).not.toBe(ids[0]!.slice(14));
  const lastCharacters = new Set(ids.map((id) => id.at(-1)));
  expect(lastCharacters.size).toBe(32);
});
