// The charge-once keys (conversations) an account's usage had over a period, with the services each
// used: read from the events' charges, for estimates that count a conversation once.
import type { OnceUse } from '../domain/plan/recommend';
import type { Queryable } from './Database';

/** Each group's key field (e.g. conversation) and the services charged once per key. */
export interface OnceGroup {
  key: string;
  services: readonly string[];
}

export async function readOnceUses(db: Queryable, { accountId, from, to, groups }: { accountId: string; from: Date; to: Date; groups: readonly OnceGroup[] }): Promise<OnceUse[]> {
  const uses: OnceUse[] = [];
  for (const group of groups) {
    // Usage is placed where it was billed, as the rollups place it; a voided event does not count.
    const rows = await db.query<{ services: string[] }>(
      `SELECT array_agg(DISTINCT c->>'service') AS services
       FROM usage_events e CROSS JOIN LATERAL jsonb_array_elements(e.charges) AS c
       WHERE e.account_id = $1 AND e.voided_at IS NULL AND coalesce(e.billed_at, e.occurred_at) >= $2 AND coalesce(e.billed_at, e.occurred_at) < $3
         AND e.data ? $4 AND c->>'service' = ANY($5::text[])
       GROUP BY e.data->>$4`,
      [accountId, from.toISOString(), to.toISOString(), group.key, group.services],
    );
    for (const row of rows) uses.push({ services: row.services });
  }
  return uses;
}
