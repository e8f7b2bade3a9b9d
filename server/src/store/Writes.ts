// Several writes sent as one statement (data-modifying CTEs): a transaction that touches six tables
// costs one round trip and one parse instead of six. PostgreSQL runs every part exactly once and to
// completion, all against the same snapshot, so no part may read what another part writes.
import type { Queryable } from './Database';

export class Writes {
  private readonly parts: string[] = [];
  private readonly params: unknown[] = [];
  private readonly selects: number[] = [];
  private readonly followUps: { sql: string; params: unknown[] }[] = [];

  /** Adds one INSERT or UPDATE; `param` turns a value into its `$n` placeholder. */
  add(build: (param: (value: unknown) => string) => string): this {
    this.parts.push(
      build((value) => {
        this.params.push(value);
        return `$${this.params.length}`;
      }),
    );
    return this;
  }

  /** NOTIFY `channel` once per payload when the transaction commits (nothing if it rolls back). */
  notify(channel: string, payloads: readonly string[]): this {
    if (payloads.length > 0) {
      this.add((p) => `SELECT pg_notify(${p(channel)}, n) FROM unnest(${p(payloads)}::text[]) AS u(n)`);
      // A SELECT in a WITH runs only if the statement reads it.
      this.selects.push(this.parts.length - 1);
    }
    return this;
  }

  /**
   * A statement that runs after the combined one, in the order added: for a second change to a row
   * the combined statement changes too (one statement cannot update a row twice).
   */
  after(build: (param: (value: unknown) => string) => string): this {
    const params: unknown[] = [];
    const sql = build((value) => {
      params.push(value);
      return `$${params.length}`;
    });
    this.followUps.push({ sql, params });
    return this;
  }

  async run(tx: Queryable): Promise<void> {
    await this.runCombined(tx);
    for (const followUp of this.followUps) await tx.query(followUp.sql, followUp.params);
  }

  private async runCombined(tx: Queryable): Promise<void> {
    if (this.parts.length === 0) return;
    const read = this.selects.map((i) => `(SELECT count(*) FROM w${i})`).join(' + ') || '1';
    const sql =
      this.parts.length === 1 && this.selects.length === 0
        ? this.parts[0]!
        : `WITH ${this.parts.map((part, i) => `w${i} AS (${part})`).join(',\n')} SELECT ${read}`;
    await tx.query(sql, this.params);
  }
}
