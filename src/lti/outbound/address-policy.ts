import { BlockList, isIP } from 'node:net';

/**
 * Which addresses outbound HTTP may reach (config: outboundAllow, outboundDeny). By default every
 * public address is reachable and every special-purpose one is not: loopback, private networks,
 * link-local (cloud metadata at 169.254.169.254), shared and benchmarking ranges, documentation,
 * multicast, reserved — a platform URL an admin or a platform supplies must not become a way into the
 * server's own network (SSRF). Listed exceptions open a host or range; the deny list wins over all.
 */
export interface AddressPolicy {
  /** The verdict for a host name and every address it resolved to. */
  decide(host: string, addresses: readonly string[]): PolicyVerdict;
}

export type PolicyVerdict =
  /** explicit: the target is listed in outboundAllow (plain http:// is then accepted too). */
  { allowed: true; explicit: boolean } | { allowed: false; reason: string };

/** IANA special-purpose registries (RFC 6890 and successors), IPv4 and IPv6. */
const SPECIAL_V4: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const SPECIAL_V6: [string, number][] = [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
];

const special = new BlockList();
for (const [net, prefix] of SPECIAL_V4) special.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of SPECIAL_V6) special.addSubnet(net, prefix, 'ipv6');

interface Entries {
  hosts: Set<string>;
  ranges: BlockList;
  hasRanges: boolean;
}

/** Parses "host", "1.2.3.4", "10.0.0.0/8" or "::1/128" entries; throws on a malformed range. */
function entries(list: readonly string[]): Entries {
  const out: Entries = { hosts: new Set(), ranges: new BlockList(), hasRanges: false };
  for (const raw of list) {
    const entry = raw.trim().toLowerCase();
    const [addr = '', prefixText] = entry.split('/');
    const family = isIP(addr);
    if (family === 0) {
      if (prefixText !== undefined) throw new Error(`outbound policy entry ${raw}: a range needs an IP address before the /`);
      out.hosts.add(entry.replace(/\.$/, ''));
      continue;
    }
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`outbound policy entry ${raw}: the prefix must be 0–${max}`);
    out.ranges.addSubnet(addr, prefix, family === 4 ? 'ipv4' : 'ipv6');
    out.hasRanges = true;
  }
  return out;
}

/** `::ffff:10.0.0.1` is 10.0.0.1: IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry. */
function normalise(address: string): { address: string; type: 'ipv4' | 'ipv6' } {
  const lower = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped?.[1]) return { address: mapped[1], type: 'ipv4' };
  return { address: lower, type: isIP(lower) === 6 ? 'ipv6' : 'ipv4' };
}

function inRanges(e: Entries, address: string): boolean {
  if (!e.hasRanges) return false;
  const a = normalise(address);
  return e.ranges.check(a.address, a.type);
}

export function isSpecialPurposeAddress(address: string): boolean {
  const a = normalise(address);
  return special.check(a.address, a.type);
}

export function createAddressPolicy(config: { outboundAllow: readonly string[]; outboundDeny: readonly string[] }): AddressPolicy {
  const allow = entries(config.outboundAllow);
  const deny = entries(config.outboundDeny);
  return {
    decide(rawHost, addresses) {
      const host = rawHost
        .toLowerCase()
        .replace(/^\[|\]$/g, '')
        .replace(/\.$/, '');
      if (addresses.length === 0) return { allowed: false, reason: `${host} did not resolve to any address` };
      if (deny.hosts.has(host)) return { allowed: false, reason: `${host} is listed in outboundDeny` };
      const denied = addresses.find((a) => inRanges(deny, a));
      if (denied) return { allowed: false, reason: `${host} resolves to ${denied}, which outboundDeny lists` };
      if (allow.hosts.has(host) || addresses.every((a) => inRanges(allow, a))) return { allowed: true, explicit: true };
      const internal = addresses.find(isSpecialPurposeAddress);
      if (internal) {
        return {
          allowed: false,
          reason: `${host} resolves to ${internal}, a loopback, private or special-purpose address (list it in outboundAllow to reach it)`,
        };
      }
      return { allowed: true, explicit: false };
    },
  };
}
