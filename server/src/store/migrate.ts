// Applies the SQL migrations in server/migrations in order, once each, under an advisory lock so
// that several processes starting together on one PostgreSQL do not race.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './Database';

export const MIGRATION_DIRECTORY = join(__dirname, '..', '..', 'migrations');
/** An arbitrary constant naming creditmeter's migration lock among PostgreSQL advisory locks. */
const MIGRATION_LOCK = 7_316_001;

export async function migrate(db: Database): Promise<string[]> {
  const files = readdirSync(MIGRATION_DIRECTORY).filter((f) => f.endsWith('.sql')).sort();
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name));
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      for (const statement of splitStatements(readFileSync(join(MIGRATION_DIRECTORY, file), 'utf8'))) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      applied.push(file);
    }
    return applied;
  });
}

/** Splits a migration into statements on semicolons outside $$-quoted bodies and comments. */
function splitStatements(sql: string): string[] {
  const withoutComments = sql.replace(/--[^\n]*/g, '');
  const parts = withoutComments.split(/(\$\$)/);
  const statements: string[] = [];
  let current = '';
  let inBody = false;
  for (const part of parts) {
    if (part === '$$') {
      inBody = !inBody;
      current += part;
      continue;
    }
    if (inBody) {
      current += part;
      continue;
    }
    const pieces = part.split(';');
    current += pieces.shift();
    for (const piece of pieces) {
      if (current.trim()) statements.push(current.trim());
      current = piece;
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}
