// The request a change is made for, carried through the asynchronous calls of its use case
// (AsyncLocalStorage): every transaction the request commits writes the request's audit row, and
// every ledger entry names the request's key, without a parameter threaded through every writer.
// Work the server does on its own (a cycle closing, a timer) runs outside any trail.
import { AsyncLocalStorage } from 'node:async_hooks';
import { type AuditEntry, auditedIds } from '../domain/audit/AuditEntry';

/** What the request names, read from it when a row is written: route, status and ids may change as it runs. */
export interface RequestFacts {
  route: string;
  status: number;
  accounts: unknown[];
  ids: unknown[];
}

export class RequestTrail {
  private readonly madeIds: string[] = [];
  private readonly committedStatuses: number[] = [];
  private ended = false;
  private unchanged = false;

  readonly keyId: string;
  readonly requestId: string;
  readonly method: string;
  private readonly facts: () => RequestFacts;

  constructor(request: { keyId: string; requestId: string; method: string; facts: () => RequestFacts }) {
    this.keyId = request.keyId;
    this.requestId = request.requestId;
    this.method = request.method;
    this.facts = request.facts;
  }

  /** A transaction for the request begins: it writes the request's row unless it says it changed nothing. */
  beginTransaction(): void {
    this.unchanged = false;
  }

  /** The running transaction answers from what is stored (a replay) and changes nothing. */
  changesNothing(): void {
    this.unchanged = true;
  }

  /** Whether the running transaction said it changed nothing. */
  get changedNothing(): boolean {
    return this.unchanged;
  }

  /** A use case names an id it made (a new key, endpoint, rule or reservation). */
  made(id: string): void {
    this.madeIds.push(id);
  }

  /**
   * The row of a transaction about to commit. `part` names what this transaction did when it
   * carried only part of the request (a group commit holds the accepted events of many requests).
   */
  entry(id: string, at: Date, part?: { accounts: readonly string[]; ids: readonly string[] }): AuditEntry {
    const facts = this.facts();
    return this.row({
      id,
      at,
      route: facts.route,
      status: facts.status,
      transactional: true,
      named: part ?? { accounts: facts.accounts, ids: [...facts.ids, ...this.madeIds] },
    });
  }

  /** The row written with a change has committed, saying `status`. */
  committed(status: number): void {
    this.committedStatuses.push(status);
  }

  /**
   * Ends the trail once the request is answered with `status`. A row is still due when no change
   * was written with one (refused, failed, or nothing to change), or when the answer is not the one
   * the committed rows foresaw (the request failed after its change committed).
   */
  end(id: string, at: Date, status: number): AuditEntry | undefined {
    if (this.ended) return undefined;
    this.ended = true;
    if (this.committedStatuses.includes(status)) return undefined;
    const facts = this.facts();
    return this.row({ id, at, route: facts.route, status, transactional: false, named: { accounts: facts.accounts, ids: [...facts.ids, ...this.madeIds] } });
  }

  private row({
    id,
    at,
    route,
    status,
    transactional,
    named,
  }: {
    id: string;
    at: Date;
    route: string;
    status: number;
    transactional: boolean;
    named: { accounts: readonly unknown[]; ids: readonly unknown[] };
  }): AuditEntry {
    return {
      id,
      at,
      keyId: this.keyId,
      method: this.method,
      route,
      accounts: auditedIds(named.accounts),
      ids: auditedIds(named.ids),
      status,
      transactional,
      requestId: this.requestId,
    };
  }
}

const trails = new AsyncLocalStorage<RequestTrail>();

/**
 * The trail of the request running now. A request whose client left is still running: the change
 * it goes on to commit is its own, and is written with its row.
 */
export function currentTrail(): RequestTrail | undefined {
  return trails.getStore();
}

export function runInTrail<T>(trail: RequestTrail, work: () => T): T {
  return trails.run(trail, work);
}

/** Runs work that is the server's own, not the request's that happened to set it off. */
export function outsideTrails<T>(work: () => T): T {
  return trails.exit(work);
}

/** The key whose request is running: what ledger entries name as their maker (null: the server). */
export function currentKeyId(): string | null {
  return currentTrail()?.keyId ?? null;
}

/**
 * Says the running request's transaction changes nothing (it answers a replay from what is stored):
 * its audit row is written after the answer, as for any request that changed nothing.
 */
export function changesNothing(): void {
  currentTrail()?.changesNothing();
}

/** Names an id the running request made, for its audit row; hands the id back. */
export function madeByRequest(id: string): string {
  currentTrail()?.made(id);
  return id;
}
