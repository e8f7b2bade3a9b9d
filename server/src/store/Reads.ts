// Several SELECTs sent as one statement, each part's rows aggregated to a JSON array: a
// transaction that must read six tables after taking its locks pays one round trip and one parse
// instead of six (the reads' twin of Writes). Rows come back as JSON, so a part casts its numeric
// columns to text (a JSON number would lose digits) and its map turns timestamps back into Dates.
import type { Queryable } from './Database';

/** One row of a part, as JSON gives it back. */
export type JsonRow = Record<string, unknown>;

export interface ReadPart<T> {
  /** The SELECT; `param` turns a value into its `$n` placeholder. */
  sql: (param: (value: unknown) => string) => string;
  map: (rows: JsonRow[]) => T;
}

export type ReadResults<P extends Record<string, ReadPart<unknown>>> = { [K in keyof P]: P[K] extends ReadPart<infer T> ? T : never };

export async function readTogether<P extends Record<string, ReadPart<unknown>>>(tx: Queryable, parts: P): Promise<ReadResults<P>> {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const names = Object.keys(parts);
  const columns = names.map((name, i) => `(SELECT coalesce(json_agg(q), '[]'::json) FROM (${parts[name]!.sql(param)}) AS q) AS r${i}`);
  const [row] = await tx.query<Record<string, JsonRow[]>>(`SELECT ${columns.join(',\n')}`, params);
  return Object.fromEntries(names.map((name, i) => [name, parts[name]!.map(row![`r${i}`]!)])) as ReadResults<P>;
}

/** A timestamp as JSON carries it, back to a Date. */
export function jsonDate(value: unknown): Date {
  return new Date(value as string);
}

export function jsonDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : new Date(value as string);
}
