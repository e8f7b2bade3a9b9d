// A top-up is carried over one more month, then it expires, for yearly customers too; months run
// from the account's anchor day (DOMAIN.md model 5).
import { topUpExpiry } from '../../../server/src/domain/ledger/topUpExpiry';

const at = (iso: string) => new Date(iso);

describe('when a top-up lapses', () => {
  test('bought on 10 March by an account anchored on the 1st, it lapses on 1 May', () => {
    expect(topUpExpiry('end_of_next_month', at('2026-01-01T00:00:00Z'), at('2026-03-10T00:00:00Z'))).toEqual(at('2026-05-01T00:00:00Z'));
  });

  test('bought on 20 March by an account anchored on 15 January, it lapses on 15 May, not a year later', () => {
    expect(topUpExpiry('end_of_next_month', at('2026-01-15T09:00:00Z'), at('2026-03-20T00:00:00Z'))).toEqual(at('2026-05-15T09:00:00Z'));
  });

  test('an anchor on the 31st: bought on 10 February, the month ends on 28 February and the next on 31 March', () => {
    expect(topUpExpiry('end_of_next_month', at('2026-01-31T00:00:00Z'), at('2026-02-10T00:00:00Z'))).toEqual(at('2026-03-31T00:00:00Z'));
  });

  test('bought at the very start of a month, that month still counts as the first', () => {
    expect(topUpExpiry('end_of_next_month', at('2026-01-01T00:00:00Z'), at('2026-03-01T00:00:00Z'))).toEqual(at('2026-05-01T00:00:00Z'));
  });

  test('never means never', () => {
    expect(topUpExpiry('never', at('2026-01-01T00:00:00Z'), at('2026-03-10T00:00:00Z'))).toBeNull();
  });
});
