// The JSON shapes of resources, shared by every route that returns them.
import type { Account } from '../domain/account/Account';
import type { EventOutcome, StoredEvent } from '../domain/ingestion/planIngestion';
import { decimalString } from '../domain/money';
import type { Endpoint } from '../store/webhooks';
import type { StoredAlertRule } from '../store/alerts';
import { errorBody } from './errorResponse';

export function accountView(account: Account) {
  return {
    id: account.id,
    name: account.name,
    email: account.email,
    metadata: account.metadata,
    plan: account.plan,
    interval: account.interval,
    anchor: account.anchor.toISOString(),
    status: account.status,
    balance: decimalString(account.balance),
    createdAt: account.createdAt.toISOString(),
    billing: account.billing,
    paymentIssue: account.paymentIssue,
    planSince: account.planSince?.toISOString() ?? null,
    scheduledChange: account.scheduledChange,
    resources: account.resources,
    endsAt: account.endsAt?.toISOString() ?? null,
    endedAt: account.endedAt?.toISOString() ?? null,
    spendLimit: account.spendLimit === null ? null : decimalString(account.spendLimit),
    locale: account.locale,
    timeZone: account.timeZone,
    /** The catalog version it is rated and billed on (grandfathering). */
    catalogVersion: account.catalogVersion ?? 1,
  };
}

export function eventView(event: StoredEvent) {
  return {
    id: event.id,
    account: event.accountId,
    type: event.type,
    timestamp: event.timestamp.toISOString(),
    ...(event.billedAt ? { billedAt: event.billedAt.toISOString() } : {}),
    data: event.data,
    ...(event.metadata ? { metadata: event.metadata } : {}),
    ...(event.reservation !== undefined ? { reservation: event.reservation } : {}),
    cost: event.cost,
    charges: event.charges,
    recordedAt: event.recordedAt.toISOString(),
    // Marked where corrected: an amended event is at a version past 1, a voided one says when and why.
    ...((event.version ?? 1) > 1 ? { version: event.version } : {}),
    ...(event.voided
      ? { voidedAt: event.voided.at.toISOString(), voidReason: event.voided.reason, voidedBy: event.voided.keyId, ...(event.voided.creditNote ? { voidCreditNote: event.voided.creditNote } : {}) }
      : {}),
  };
}

export function outcomeView(outcome: EventOutcome) {
  switch (outcome.status) {
    case 'accepted':
    case 'duplicate':
      return { status: outcome.status, id: outcome.event.id, account: outcome.event.accountId, cost: outcome.event.cost, charges: outcome.event.charges };
    case 'rejected':
      return { status: outcome.status, ...errorBody(outcome.error) };
  }
}

export function endpointView(endpoint: Endpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    description: endpoint.description,
    status: endpoint.disabledAt ? 'disabled' : 'enabled',
    disabledReason: endpoint.disabledReason,
    createdAt: endpoint.createdAt.toISOString(),
  };
}

export function alertRuleView({ rule, description, createdAt }: StoredAlertRule) {
  return {
    id: rule.id,
    account: rule.accountId,
    kind: rule.kind,
    ...(rule.kind === 'allowance_percent' ? { meter: rule.meter, thresholds: rule.thresholds.map((t) => t.toNumber()) } : { thresholds: rule.thresholds.map(decimalString) }),
    description,
    createdAt: createdAt.toISOString(),
  };
}
