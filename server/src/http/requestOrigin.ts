// Where the caller reached this server, for links the server hands out. X-Forwarded-Host and
// -Proto are believed only from proxies the operator named (Express's `trust proxy`): otherwise
// anyone could make the server print links to a host of their choosing.
import type { Request } from 'express';

/** A host name or address with an optional port, and nothing that could bend a URL (`/`, `@`, `?`). */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

export function requestOrigin(req: Request): string {
  const host = req.host;
  // A trusted proxy's X-Forwarded-Proto is still a header: only the two schemes a link can have.
  const scheme = req.protocol === 'https' ? 'https' : 'http';
  return `${scheme}://${host && HOST.test(host) ? host : 'localhost'}`;
}

/** CREDITMETER_TRUST_PROXY as Express reads it: a hop count, true, or a list of addresses and names. */
export function trustProxySetting(value: string): boolean | number | string {
  if (/^\d+$/.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}
