// Where the store works beside the server (PostgreSQL), a group of events starts while a large one
// runs if it shares no account with it: a single event does not wait for a batch of other accounts.
// An account's own events still wait, and are recorded in the order they came. Beside a small group
// the next one is gathered, as on a store that runs one transaction at a time.
import type { Database, Queryable, Row } from '../../../server/src/store/Database';
import type { UsageEvent } from '../../../server/src/domain/event/UsageEvent';
import { UsageRecorder } from '../../../server/src/usecases/recordUsage';
import { startTestServer, type TestServer } from '../support/servers';

const T0 = '2026-03-01T00:00:00Z';

/** The store as it is, except that a transaction touching `account` stops at its first statement until `open` is called. */
function gated(db: Database, account: string): { db: Database; open: () => void; reached: Promise<void> } {
  let open!: () => void;
  let reach!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const guarded = (inner: Queryable): Queryable => ({
    query: async <T extends Row>(sql: string, params?: readonly unknown[]) => {
      if (JSON.stringify(params ?? []).includes(`"${account}"`)) {
        reach();
        await gate;
      }
      return inner.query<T>(sql, params);
    },
  });
  return {
    db: { ...db, parallelWrites: db.parallelWrites, transaction: (work) => db.transaction((tx) => work(guarded(tx))) },
    open,
    reached,
  };
}

const chat = (id: string, account: string): UsageEvent => ({ id, account, type: 'chat', timestamp: T0, data: { input_tokens: 1000, output_tokens: 0 } });

describe('groups of events beside each other on postgres', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('postgres', { now: T0 });
    for (const id of ['slow', 'fast']) {
      await server.call('POST', '/v1/accounts', { id, name: id, plan: 'payg' });
      await server.call('POST', `/v1/accounts/${id}/topups`, { amount: '5000', reference: `pay-${id}` });
    }
  });
  afterAll(() => server.stop());

  test("an event of another account is recorded while a batch holds the first; the first account's next event waits its turn", async () => {
    const store = gated(server.db, 'slow');
    const recorder = new UsageRecorder({ ...server.context, db: store.db });
    const settled: string[] = [];
    const batch = Array.from({ length: 100 }, (_, i) => chat(`s1-${String(i).padStart(3, '0')}`, 'slow'));
    const slow = recorder.record(batch).then((outcomes) => (settled.push('s1'), outcomes));
    await store.reached;
    const after = recorder.record([chat('s2', 'slow')]).then((outcomes) => (settled.push('s2'), outcomes));
    const fast = await recorder.record([chat('f1', 'fast')]);
    expect(fast.map((o) => o.status)).toEqual(['accepted']);
    expect(settled).toEqual([]);

    store.open();
    expect((await slow).every((o) => o.status === 'accepted')).toBe(true);
    expect((await after).map((o) => o.status)).toEqual(['accepted']);
    expect(settled).toEqual(['s1', 's2']);
    const entries = await server.db.query<{ event_id: string }>(
      `SELECT event_id FROM ledger_entries WHERE account_id = 'slow' AND kind = 'usage' ORDER BY recorded_at, id`,
    );
    expect(entries.map((e) => e.event_id)).toEqual([...batch.map((e) => e.id), 's2']);
  });

  test('beside a single event in flight, an event of another account waits and goes in the next group', async () => {
    const store = gated(server.db, 'slow');
    const recorder = new UsageRecorder({ ...server.context, db: store.db });
    const settled: string[] = [];
    const slow = recorder.record([chat('s3', 'slow')]).then((outcomes) => (settled.push('s3'), outcomes));
    await store.reached;
    const fast = recorder.record([chat('f2', 'fast')]).then((outcomes) => (settled.push('f2'), outcomes));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(settled).toEqual([]);

    store.open();
    expect((await slow).map((o) => o.status)).toEqual(['accepted']);
    expect((await fast).map((o) => o.status)).toEqual(['accepted']);
    expect(settled).toEqual(['s3', 'f2']);
  });
});
