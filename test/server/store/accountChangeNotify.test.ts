// Every change to an account that an answer depends on tells the processes (NOTIFY on
// creditmeter_account_changed), on both stores: not only a balance's writers, which notify with
// their books, but a rename, a failed payment, a cancellation, a scheduled plan change, which no
// writer has to remember, since the accounts table's trigger sends it.
import { STORES, startTestServer, type TestServer } from '../support/servers';
import { waitFor } from '../../support/eventually';

describe.each(STORES)('account change notifications on %s', (store) => {
  let server: TestServer;
  const heard: string[] = [];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
    stop = await server.db.listen('creditmeter_account_changed', { onMessage: (payload) => heard.push(...payload.split(' ')), onLost: () => {}, onListening: () => {} });
    await server.call('POST', '/v1/accounts', { id: 'quiet', name: 'Quiet', plan: 'starter' });
  });
  afterAll(async () => {
    await stop();
    await server.stop();
  });

  let markers = 0;
  /**
   * The accounts named by the notifications that `change` sent. Once it is answered, its
   * transaction has committed; a marker notified after it on the same channel arrives after
   * everything it sent (notifications are delivered in commit order), so the marker's arrival
   * tells that nothing more is coming.
   */
  async function heardDuring(change: () => Promise<unknown>): Promise<string[]> {
    heard.length = 0;
    await change();
    const marker = `test-marker-${(markers += 1)}`;
    await server.db.query('SELECT pg_notify($1, $2)', ['creditmeter_account_changed', marker]);
    await waitFor(() => heard.includes(marker), { message: `the marker ${marker} after the change`, show: () => heard });
    return [...new Set(heard.filter((id) => id !== marker))];
  }

  test.each([
    ['a rename', () => server.call('PATCH', '/v1/accounts/quiet', { name: 'Quiet GmbH' })],
    ['a cancellation at the end of the cycle', () => server.call('POST', '/v1/accounts/quiet/cancel')],
    ['its withdrawal', () => server.call('DELETE', '/v1/accounts/quiet/cancel')],
    ['a downgrade scheduled for the end of the cycle', () => server.call('POST', '/v1/accounts/quiet/plan-change', { plan: 'payg' })],
    [
      'a failed payment',
      async () => {
        const [invoice] = (await server.call('GET', '/v1/accounts/quiet/invoices')).body.invoices;
        return server.call('POST', `/v1/invoices/${invoice.id}/payment`, { status: 'failed', reason: 'card_declined' });
      },
    ],
  ])('%s is heard', async (_what, change) => {
    expect(await heardDuring(async () => expect((await change()).status).toBeLessThan(300))).toEqual(['quiet']);
  });

  test('a request that changes nothing sends nothing', async () => {
    expect(await heardDuring(() => server.call('GET', '/v1/accounts/quiet'))).toEqual([]);
  });
});
