// What a process remembers of an account after its own change: the record the writer handed, unless
// another writer's notice came after the writer took its locks (that change may have committed
// after this one), or notices may have been missed. Its own notices do not undo what it handed.
import type { Database, Listener } from '../../../server/src/store/Database';
import { AccountSnapshots } from '../../../server/src/usecases/AccountSnapshots';
import type { AccountRecord } from '../../../server/src/domain/account/AccountRecord';
import type { Catalog } from '../../../server/src/domain/catalog/Catalog';

const catalog = { name: 'remembered' } as unknown as Catalog;
const record = { catalog } as AccountRecord;

async function started(): Promise<{ snapshots: AccountSnapshots; heard: Listener }> {
  let heard: Listener | undefined;
  const db = {
    listen: async (_channel: string, handlers: Listener) => {
      heard = handlers;
      return async () => undefined;
    },
  } as unknown as Database;
  const snapshots = new AccountSnapshots({ db, catalogs: undefined as never, clock: { now: () => new Date() }, newId: undefined as never });
  await snapshots.start(db);
  return { snapshots, heard: heard! };
}

const rememberedCatalog = (snapshots: AccountSnapshots, id: string) => snapshots.rememberedCatalog(id) ?? Promise.resolve(undefined);

describe('an account remembered as its writer handed it', () => {
  test('is remembered when no other writer was heard of since the locks were taken', async () => {
    const { snapshots } = await started();
    snapshots.changed(['acme'], { records: new Map([['acme', record]]), since: snapshots.noticesSoFar() });
    expect(snapshots.remembers('acme')).toBe(true);
    expect(await rememberedCatalog(snapshots, 'acme')).toBe(catalog);
  });

  test("is forgotten when another writer's notice about it came after the locks were taken", async () => {
    const { snapshots, heard } = await started();
    const since = snapshots.noticesSoFar();
    heard.onMessage('acme');
    snapshots.changed(['acme'], { records: new Map([['acme', record]]), since });
    expect(snapshots.remembers('acme')).toBe(false);
  });

  test('is remembered when the notice came about another account, or before the locks', async () => {
    const { snapshots, heard } = await started();
    heard.onMessage('acme');
    const since = snapshots.noticesSoFar();
    heard.onMessage('other');
    snapshots.changed(['acme'], { records: new Map([['acme', record]]), since });
    expect(snapshots.remembers('acme')).toBe(true);
  });

  test('stays remembered when its own notice arrives, and is forgotten on a notice from anyone else', async () => {
    const { snapshots, heard } = await started();
    snapshots.changed(['acme'], { records: new Map([['acme', record]]), since: snapshots.noticesSoFar() });
    heard.onMessage(`#${snapshots.origin} acme`);
    expect(snapshots.remembers('acme')).toBe(true);
    heard.onMessage('#another-process acme');
    expect(snapshots.remembers('acme')).toBe(false);
  });

  test('is forgotten when notices may have been missed since the locks were taken', async () => {
    const { snapshots, heard } = await started();
    const since = snapshots.noticesSoFar();
    heard.onLost();
    heard.onListening();
    snapshots.changed(['acme'], { records: new Map([['acme', record]]), since });
    expect(snapshots.remembers('acme')).toBe(false);
  });

  test('is not remembered while notices may be missed', async () => {
    const { snapshots, heard } = await started();
    heard.onLost();
    snapshots.changed(['acme'], { records: new Map([['acme', record]]), since: snapshots.noticesSoFar() });
    expect(snapshots.remembers('acme')).toBe(false);
  });

  test('an account changed without a record handed is forgotten', async () => {
    const { snapshots } = await started();
    snapshots.changed(['acme'], { records: new Map([['acme', record]]), since: snapshots.noticesSoFar() });
    snapshots.changed(['acme']);
    expect(snapshots.remembers('acme')).toBe(false);
  });
});
