// The mixed scenario's fixed mix of requests, shared by the load process and the bench that reads its figures.

/**
 * The mix, in the order it is sent (the n-th request of the run is MIX[n % 20]): per 20 requests,
 * 7 authorize, 6 single events, 3 balances, 1 ledger page, 1 account read, 1 cost report and 1
 * batch of 100 events. What an assistant platform's traffic looks like: mostly the hot paths of a
 * call (authorize, then its events), reads from dashboards and n8n, a batch from a nightly import.
 */
export const MIX = [
  'authorize',
  'event',
  'balance',
  'authorize',
  'event',
  'authorize',
  'ledger',
  'event',
  'authorize',
  'balance',
  'batch',
  'authorize',
  'event',
  'account',
  'authorize',
  'event',
  'balance',
  'authorize',
  'report',
  'event',
] as const;
export type Route = (typeof MIX)[number];

export const BATCH_EVENTS = 100;
