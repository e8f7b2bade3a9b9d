// Which hosts a webhook may be sent to. Self-hosted n8n often runs on the same host or private
// network, so private and loopback targets are allowed unless the operator asks for public ones
// only; link-local addresses and the clouds' metadata services never are: a subscription pointed
// there would hand the server's cloud credentials to whoever reads the delivery log.
import ipaddr from 'ipaddr.js';

export const WEBHOOK_TARGET_POLICIES = ['private', 'public'] as const;
/** `private`: public, private and loopback addresses; `public`: public addresses only. */
export type WebhookTargetPolicy = (typeof WEBHOOK_TARGET_POLICIES)[number];

/** Metadata services reached by name, whatever they resolve to from here. */
const METADATA_HOSTS = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal', 'metadata.azure.com']);
/** Metadata services at addresses outside the link-local ranges (AWS over IPv6, Alibaba Cloud, Azure's wire server). */
const METADATA_ADDRESSES = new Set(['fd00:ec2::254', '100.100.100.200', '168.63.129.16']);

/** Ranges (ipaddr.js names) that are never a receiver: nothing listens there, or the cloud does. */
const NEVER = new Set(['linkLocal', 'unspecified', 'multicast', 'broadcast', 'reserved']);
/** Ranges that only the `private` policy allows. */
const PRIVATE = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat']);

/** NAT64's well-known prefix carries an IPv4 address in its last 32 bits. */
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');
/** `::a.b.c.d`; `::` and `::1` in it keep their own ranges. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/** Why `address` may not receive webhooks under `policy`, or undefined when it may. */
export function refusedAddress(address: string, policy: WebhookTargetPolicy): string | undefined {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  const parsed = embeddedIPv4(ipaddr.parse(address));
  const normal = parsed.toString();
  if (METADATA_ADDRESSES.has(normal)) return `${normal} is a cloud metadata service`;
  const range = parsed.range();
  if (NEVER.has(range)) return `${normal} is a ${describe(range)} address`;
  if (PRIVATE.has(range)) return policy === 'private' ? undefined : `${normal} is a ${describe(range)} address, and only public targets are allowed`;
  if (range !== 'unicast') return `${normal} is a ${describe(range)} address`;
  return undefined;
}

/**
 * Why the host of `url` may not receive webhooks, judged from the URL alone (an IP literal or a
 * metadata name); a name's addresses are judged when it is resolved.
 */
export function refusedHost(url: URL, policy: WebhookTargetPolicy): string | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '').toLowerCase();
  if (METADATA_HOSTS.has(host)) return `${host} is a cloud metadata service`;
  // The URL parser has already turned 2130706433, 0x7f.1 and 127.1 into 127.0.0.1.
  if (ipaddr.isValid(host)) return refusedAddress(host, policy);
  if (policy === 'public' && (host === 'localhost' || host.endsWith('.localhost'))) return `${host} is this machine, and only public targets are allowed`;
  return undefined;
}

/**
 * The IPv4 address inside an IPv4-mapped, IPv4-compatible (`::a.b.c.d`, deprecated but still
 * parsed) or NAT64 IPv6 address, so that it is judged as itself.
 */
function embeddedIPv4(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (address.kind() !== 'ipv6') return address;
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  if (v6.match(NAT64) || (v6.match(IPV4_COMPATIBLE) && v6.range() === 'unicast')) return ipaddr.fromByteArray(v6.toByteArray().slice(12));
  return v6;
}

function describe(range: string): string {
  return range.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
