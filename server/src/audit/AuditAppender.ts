// Writes the audit rows of requests that changed nothing (refused, failed, duplicates) after their
// answer: the rows of a moment go out in one statement, off the request's path, and a failure to
// write them is logged rather than answered, since the answer is already out.
import type { Logger } from 'pino';
import type { AuditEntry } from '../domain/audit/AuditEntry';
import type { Database } from '../store/Database';
import { addAuditWrites } from '../store/auditLog';
import { Writes } from '../store/Writes';
import { outsideTrails } from './RequestTrail';

/** Most rows in one statement. */
const MAX_ROWS_PER_WRITE = 500;

export class AuditAppender {
  private readonly waiting: AuditEntry[] = [];
  private writing: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
  ) {}

  append(entry: AuditEntry): void {
    this.waiting.push(entry);
    this.writing ??= outsideTrails(() => new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain()));
  }

  /** Resolves once every row appended so far is written (or its failure logged). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const rows = this.waiting.splice(0, MAX_ROWS_PER_WRITE);
        try {
          await addAuditWrites(new Writes(), rows).run(this.db);
        } catch (error) {
          this.log.error({ err: error, rows: rows.length, requestIds: rows.map((r) => r.requestId) }, 'audit rows not written');
        }
      }
    } finally {
      this.writing = undefined;
    }
  }
}
