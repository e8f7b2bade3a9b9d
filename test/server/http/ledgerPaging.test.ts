// The ledger pages in the order it was written: whatever the page size, the pages put together are
// the whole ledger, across the powers of ten where sequence numbers ordered as text would reorder.
import fc from 'fast-check';
import { STORES, startTestServer, type TestServer } from '../support/servers';

/** Entries 1 to 105 of one account: across 9→10 and 99→100. */
const ENTRIES = 105;

describe.each(STORES)('ledger paging on %s', (store) => {
  let server: TestServer;
  let written: string[];
  beforeAll(async () => {
    server = await startTestServer(store, { now: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'busy', name: 'Busy', plan: 'payg' });
    // Another account's entries between this one's, so the account's own sequence has gaps.
    await server.call('POST', '/v1/accounts', { id: 'other', name: 'Other', plan: 'payg' });
    for (let i = 1; i <= ENTRIES; i += 1) {
      expect((await server.call('POST', '/v1/accounts/busy/topups', { amount: String(i), reference: `t${i}` })).status).toBe(201);
      if (i % 7 === 0) await server.call('POST', '/v1/accounts/other/topups', { amount: '1', reference: `o${i}` });
    }
    written = (await server.db.query<{ id: string }>(`SELECT id FROM ledger_entries WHERE account_id = 'busy' ORDER BY seq`)).map((r) => r.id);
  });
  afterAll(async () => {
    await server.stop();
  });

  async function allPages(limit: number): Promise<{ ids: string[]; amounts: string[] }> {
    const ids: string[] = [];
    const amounts: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await server.call('GET', `/v1/accounts/busy/ledger?${query}`);
      expect(page.status).toBe(200);
      for (const entry of page.body.entries) {
        ids.push(entry.id);
        amounts.push(entry.amount);
      }
      cursor = page.body.nextCursor;
    } while (cursor);
    return { ids, amounts };
  }

  test('entries 1 to 12 in pages of three come in the order written', async () => {
    const { amounts } = await allPages(3);
    expect(amounts.slice(0, 12).map(Number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  test('pages put together equal the whole ledger in order, whatever the page size', async () => {
    expect(written).toHaveLength(ENTRIES);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 120 }), async (limit) => {
        const { ids } = await allPages(limit);
        expect(ids).toEqual(written);
      }),
      { numRuns: 12, examples: [[1], [9], [10], [100], [104], [105]] },
    );
  });

  test('a cursor past what a bigint holds is refused, not failed', async () => {
    const cursor = Buffer.from('9999999999999999999').toString('base64url');
    const response = await server.call('GET', `/v1/accounts/busy/ledger?cursor=${cursor}`);
    expect(response.status).toBe(422);
    expect(response.body.error.field).toBe('cursor');
  });
});
