// Runs SQL on PGlite as named prepared statements, kept per statement text. PGlite's own query()
// parses, describes and plans every statement afresh, in this very thread: for the small
// transactions of a hot account, planning the multi-part read and write statements cost more than
// running them. A named statement is parsed and described once; PostgreSQL then caches its plan
// (a generic one where that is no dearer than planning for the values at hand), and plans it again
// when an ANALYZE of its tables (see tableUpkeep) finds them grown.
import { type PGlite, parse, protocol } from '@electric-sql/pglite';
import type { Row } from './Database';

/** Statements kept at most; the least recently used is closed first. Our SQL texts are few. */
const MAX_STATEMENTS = 500;

interface Prepared {
  name: string;
  /** The parameters' type OIDs, as PostgreSQL inferred them: how each value is serialized. */
  types: number[];
}

const NO_SYNC = { syncToFs: false };

export class PgliteStatements {
  private readonly statements = new Map<string, Prepared>();
  private named = 0;

  constructor(private readonly db: PGlite) {}

  /** Runs one statement; `inTransaction` when called inside db.transaction (the caller holds it). */
  async query<T extends Row>(sql: string, params: readonly unknown[], inTransaction: boolean): Promise<T[]> {
    const run = () => this.db._runExclusiveQuery(() => this.run<T>(sql, params, inTransaction));
    return inTransaction ? run() : this.db._runExclusiveTransaction(run);
  }

  private async run<T extends Row>(sql: string, params: readonly unknown[], inTransaction: boolean): Promise<T[]> {
    let statement: Prepared;
    try {
      statement = await this.prepared(sql);
    } catch (error) {
      // Ends the extended-protocol exchange the failed parse began.
      await this.db.execProtocol(protocol.serialize.sync(), NO_SYNC).catch(() => undefined);
      throw error;
    }
    const values = params.map((value, i) => this.serialize(value, statement.types[i]!));
    // Bind, describe, execute and sync in one exchange: PostgreSQL reads them in turn and, after an
    // error, skips to the sync, so the exchange always ends; the error is thrown once it has.
    const { messages } = await this.db.execProtocol(
      Buffer.concat([
        protocol.serialize.bind({ statement: statement.name, values }),
        protocol.serialize.describe({ type: 'P' }),
        protocol.serialize.execute({}),
        protocol.serialize.sync(),
      ]),
      NO_SYNC,
    );
    // As PGlite's own query(): a statement outside a transaction is made durable at once.
    if (!inTransaction) await this.db.syncToFs();
    return parse.parseResults(messages, this.db.parsers)[0]!.rows as T[];
  }

  private async prepared(sql: string): Promise<Prepared> {
    const known = this.statements.get(sql);
    if (known) {
      // Most recently used last, so that eviction takes the oldest.
      this.statements.delete(sql);
      this.statements.set(sql, known);
      return known;
    }
    if (this.statements.size >= MAX_STATEMENTS) {
      const [oldestSql, oldest] = this.statements.entries().next().value!;
      this.statements.delete(oldestSql);
      await this.db.execProtocol(protocol.serialize.close({ type: 'S', name: oldest.name }), NO_SYNC);
    }
    this.named += 1;
    const name = `creditmeter_${this.named}`;
    await this.db.execProtocol(protocol.serialize.parse({ name, text: sql }), NO_SYNC);
    const described = await this.db.execProtocol(protocol.serialize.describe({ type: 'S', name }), NO_SYNC);
    const statement = { name, types: parse.parseDescribeStatementResults(described.messages) };
    // Only a statement that parsed is kept: a failed parse throws above.
    this.statements.set(sql, statement);
    return statement;
  }

  private serialize(value: unknown, type: number): string | null {
    if (value === null || value === undefined) return null;
    const serializer = this.db.serializers[type];
    return serializer ? serializer(value) : String(value);
  }
}
