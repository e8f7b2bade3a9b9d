// What the server's outbox has left to send, read from its store.
import type { Queryable } from '../../../server/src/store/Database';
import { waitFor } from '../../support/eventually';

/**
 * Waits until no webhook delivery is pending. A change writes its outbox messages and their
 * deliveries in its own transaction, so once the changes are answered their deliveries exist; once
 * none is pending, every one of them has been answered by its receiver. A count of what a receiver
 * got is then final: a test that something was sent once, or not at all, asserts it exactly.
 * Only for receivers that answer at once: a delivery that failed stays pending until its retry.
 */
export async function deliveriesSettled(db: Queryable, timeoutMs = 5000): Promise<void> {
  await waitFor(() => db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM webhook_deliveries GROUP BY status ORDER BY status'), {
    until: (rows) => !rows.some((r) => r.status === 'pending'),
    timeoutMs,
    message: 'every webhook delivery to be answered (none pending)',
  });
}
