// Events grouped into one transaction do not fail together: where the store refuses one event's
// data, that event alone is rejected and every other one is recorded; a store that is down still
// fails the whole group, with nothing written.
import type { Database, Queryable, Row } from '../../../server/src/store/Database';
import type { UsageEvent } from '../../../server/src/domain/event/UsageEvent';
import { UsageRecorder } from '../../../server/src/usecases/recordUsage';
import { STORES, startTestServer, type TestServer } from '../support/servers';

const T0 = '2026-03-01T00:00:00Z';

/** The store as it is, except that any statement carrying `marker` fails with SQLSTATE `code`. */
function refusing(db: Database, marker: string, code: string): Database {
  const guard = (params: readonly unknown[] | undefined) => {
    if (params && JSON.stringify(params).includes(marker)) throw Object.assign(new Error(`refused by the store (${code})`), { code });
  };
  const guarded = (inner: Queryable): Queryable => ({
    query: async <T extends Row>(sql: string, params?: readonly unknown[]) => {
      guard(params);
      return inner.query<T>(sql, params);
    },
  });
  return {
    kind: db.kind,
    parallelWrites: db.parallelWrites,
    query: guarded(db).query,
    transaction: (work) => db.transaction((tx) => work(guarded(tx))),
    listen: (channel, handlers) => db.listen(channel, handlers),
    pressure: () => db.pressure(),
    threadHeap: () => db.threadHeap(),
    close: () => db.close(),
  };
}

const chat = (id: string): UsageEvent => ({ id, account: 'acme', type: 'chat', timestamp: T0, data: { input_tokens: 1000, output_tokens: 0 } });

async function usageEntries(server: TestServer): Promise<string[]> {
  const rows = await server.db.query<{ event_id: string }>(`SELECT event_id FROM ledger_entries WHERE account_id = 'acme' AND kind = 'usage' ORDER BY event_id`);
  return rows.map((r) => r.event_id);
}

describe.each(STORES)('group commit on %s', (store) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer(store, { now: T0 });
    await server.call('POST', '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'payg' });
    await server.call('POST', '/v1/accounts/acme/topups', { amount: '5000', reference: 'pay-1' });
  });
  afterEach(async () => {
    await server.stop();
  });

  test('30 concurrent good events and one the store refuses: the 30 are recorded, the one is rejected naming the event', async () => {
    const recorder = new UsageRecorder({ ...server.context, db: refusing(server.db, 'poison', '22021') });
    const good = Array.from({ length: 30 }, (_, i) => chat(`good-${String(i).padStart(2, '0')}`));
    const sent = [...good.slice(0, 15), chat('poison'), ...good.slice(15)];
    const outcomes = await Promise.all(sent.map((event) => recorder.record([event]).then(([outcome]) => outcome!)));

    expect(outcomes.filter((o) => o.status === 'accepted')).toHaveLength(30);
    expect(outcomes[15]).toMatchObject({ status: 'rejected', error: { code: 'validation_failed', field: '(event)' } });
    expect(await usageEntries(server)).toEqual(good.map((e) => e.id));
    // 30 chats of 1,000 input tokens at 40 credits: 1,200 of the 5,000 topped up.
    expect((await server.call('GET', '/v1/accounts/acme/balance')).body.balance).toBe('3800');
  });

  test('in one batch, the refused event is rejected alone and the others are recorded', async () => {
    const recorder = new UsageRecorder({ ...server.context, db: refusing(server.db, 'poison', '22P05') });
    const batch = [chat('b1'), chat('b2'), chat('poison'), chat('b3')];
    const outcomes = await recorder.record(batch);
    expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted', 'rejected', 'accepted']);
    expect(await usageEntries(server)).toEqual(['b1', 'b2', 'b3']);
  });

  test('a store that fails for another reason fails every event of the group and writes nothing', async () => {
    const recorder = new UsageRecorder({ ...server.context, db: refusing(server.db, 'acme', '08006') });
    const results = await Promise.allSettled([chat('x1'), chat('x2'), chat('x3')].map((event) => recorder.record([event])));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await usageEntries(server)).toEqual([]);
  });
});
