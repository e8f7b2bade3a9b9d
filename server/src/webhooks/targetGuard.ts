// Holds webhook targets to the operator's policy (domain/webhooks/WebhookTarget) where names turn
// into addresses: at subscription, and again at every send, on the very addresses the socket
// connects to, so that a name repointed after subscribing reaches nothing it may not.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { LookupFunction } from 'node:net';
import { refusedAddress, refusedHost, type WebhookTargetPolicy } from '../domain/webhooks/WebhookTarget';

/** A target the policy refuses; its message says which address and why. */
export class TargetRefused extends Error {
  override name = 'TargetRefused';
  readonly code = 'ETARGETREFUSED';
}

/**
 * Why a new subscription's URL is refused, or undefined. A name that does not resolve now is
 * accepted (the receiver may not be up yet): its addresses are judged at every send.
 */
export async function refusedTarget(url: string, policy: WebhookTargetPolicy): Promise<string | undefined> {
  const parsed = new URL(url);
  const byHost = refusedHost(parsed, policy);
  if (byHost) return byHost;
  const addresses = await new Promise<LookupAddress[]>((resolve) =>
    dnsLookup(parsed.hostname.replace(/^\[|\]$/g, ''), { all: true }, (error, found) => resolve(error ? [] : found)),
  );
  for (const { address } of addresses) {
    const reason = refusedAddress(address, policy);
    if (reason) return `${parsed.hostname} resolves to ${address}: ${reason}`;
  }
  return undefined;
}

/** dns.lookup that fails for a name with any address the policy refuses. */
function guardedLookup(policy: WebhookTargetPolicy): LookupFunction {
  return (hostname: string, options: LookupOptions, callback: (...args: any[]) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error);
      for (const { address } of addresses) {
        const reason = refusedAddress(address, policy);
        if (reason) return callback(new TargetRefused(`${hostname} resolves to ${address}: ${reason}`));
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }));
      callback(null, first.address, first.family);
    });
  };
}

/** Agents for axios whose every connection passes the policy; kept alive between deliveries. */
export function guardedAgents(policy: WebhookTargetPolicy): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } {
  const lookup = guardedLookup(policy);
  return { httpAgent: new HttpAgent({ keepAlive: true, lookup }), httpsAgent: new HttpsAgent({ keepAlive: true, lookup }) };
}

/** Checks an IP-literal host before sending: sockets to an address never call lookup. */
export function assertSendable(url: string, policy: WebhookTargetPolicy): void {
  const reason = refusedHost(new URL(url), policy);
  if (reason) throw new TargetRefused(reason);
}
