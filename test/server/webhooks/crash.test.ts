// A server killed (kill -9) after committing a change but before its webhook was delivered loses
// nothing: another process sends it once the dead one's lease on the attempt has run out.
import { post, startProcess } from '../support/processes';
import { createPostgresDatabase } from '../support/servers';
import { waitFor } from '../../support/eventually';
import { startReceiver } from './receiver';

test('kill -9 between commit and delivery: the other process delivers the webhook, nothing lost', async () => {
  const database = await createPostgresDatabase();
  const receiver = await startReceiver();
  // One-second attempts: the lease of a dead sender runs out after 1.5 s.
  const env = { CREDITMETER_WEBHOOK_TIMEOUT_MS: '1000' };
  const first = await startProcess(database.url, env);
  let second: Awaited<ReturnType<typeof startProcess>> | undefined;
  try {
    const created = await post(first.url, '/v1/webhooks', { url: receiver.url, events: ['topup.succeeded'] });
    receiver.secret = created.body.secret;
    // The first request hangs: the process is killed while it is in flight.
    receiver.respond = (n) => (n === 1 ? 0 : 204);
    expect((await post(first.url, '/v1/accounts', { id: 'acct', name: 'Acct', plan: 'payg' })).status).toBe(201);
    expect((await post(first.url, '/v1/accounts/acct/topups', { amount: '25', reference: 'pay-1' })).status).toBe(201);
    await waitFor(() => receiver.requests, { until: (requests) => requests >= 1, message: 'the first attempt to reach the receiver' });
    expect(receiver.requests).toBe(1);
    first.child.kill('SIGKILL');

    second = await startProcess(database.url, env);
    const received = await receiver.waitFor((r) => r.length === 1, 10_000);
    expect(received[0]).toMatchObject({ type: 'topup.succeeded', data: { account: 'acct', amount: '25', balance: '25' } });
    expect(receiver.requests).toBe(2);
    expect(receiver.forged).toBe(0);
  } finally {
    first.child.kill('SIGKILL');
    second?.child.kill('SIGKILL');
    await receiver.close();
    await database.drop();
  }
});
