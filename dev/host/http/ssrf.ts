import { lookup } from 'node:dns/promises';
import net from 'node:net';

/**
 * Rocket.Chat's SSRF check for outgoing requests (packages/server-fetch/src/checkForSsrf.ts, helpers.ts and
 * constants.ts, 8.2+), re-written here so the host refuses what a server refuses:
 * - only http: and https: URLs;
 * - the host must be an IP or a dotted domain name (`localhost` is neither, so it is always refused);
 * - an allowlisted host (exact `host` or `host:port`, from the comma/newline separated `SSRF_Allowlist`
 *   setting) passes, even a private one;
 * - otherwise addresses in loopback, private, link-local, CGNAT/docker, documentation, multicast and reserved
 *   ranges are refused, and so are names that resolve into them (and metadata.google.internal).
 * A refusal throws `error-ssrf-validation-failed`, the message the app sees.
 */
export const SSRF_ERROR = 'error-ssrf-validation-failed';

const IPV4_RANGES = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '255.255.255.255/32',
  '100.100.100.200/32',
];
const IPV6_RANGES = [
  '::/128',
  '::1/128',
  '::ffff:0:0/96',
  '64:ff9b::/96',
  '64:ff9b:1::/48',
  '100::/64',
  '2001::/32',
  '2001:20::/28',
  '2001:db8::/32',
  '2002::/16',
  'fc00::/7',
  'fe80::/10',
  'ff00::/8',
];
const DOMAIN = /^(?=.{1,253}$)(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[A-Za-z]{2,63}$/;

// one list per family: node's BlockList matches IPv4 addresses against IPv4-mapped IPv6 rules (::ffff:0:0/96)
function blockListOf(ranges: string[], family: 'ipv4' | 'ipv6'): net.BlockList {
  const list = new net.BlockList();
  for (const range of ranges) {
    const [network, prefix] = range.split('/');
    list.addSubnet(network, Number(prefix), family);
  }
  return list;
}
const blockedV4 = blockListOf(IPV4_RANGES, 'ipv4');
const blockedV6 = blockListOf(IPV6_RANGES, 'ipv6');

function inBlockedRange(ip: string): boolean {
  return net.isIPv6(ip) ? blockedV6.check(ip, 'ipv6') : blockedV4.check(ip, 'ipv4');
}

/** The allowlist as Rocket.Chat parses it: split on commas and newlines, trimmed, lower-cased, IPv6 bracketed. */
export function parseAllowlist(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => (net.isIPv6(entry) ? `[${entry}]` : entry.toLowerCase()));
}

/** Resolves a host name to one address, as Rocket.Chat's `nslookup` (dns.lookup) does. */
export type Resolver = (hostname: string) => Promise<string>;
const systemResolver: Resolver = async (hostname) => (await lookup(hostname)).address;

/**
 * Whether Rocket.Chat would let a request to `url` through, given the raw `SSRF_Allowlist` value.
 * `resolve` is the system resolver unless a test supplies names this machine's DNS cannot give.
 */
export async function isAllowedBySsrfRules(
  url: string,
  allowlistSetting: unknown,
  resolve: Resolver = systemResolver,
): Promise<boolean> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const isIp = net.isIP(host) !== 0;
  const isDomain = DOMAIN.test(host);
  if (!isIp && !isDomain) return false;

  const allowlist = parseAllowlist(allowlistSetting);
  const normalized = net.isIPv6(host) ? `[${host}]` : host.toLowerCase();
  const withPort = parsed.port ? `${normalized}:${parsed.port}` : normalized;
  if (allowlist.includes(normalized) || allowlist.includes(withPort)) {
    if (isIp) return true;
    return resolve(host).then(
      () => true,
      () => false,
    );
  }
  if (isIp) return !inBlockedRange(host);
  if (/metadata\.google\.internal/i.test(host)) return false;
  try {
    return !inBlockedRange(await resolve(host));
  } catch {
    return false;
  }
}

/**
 * Throws `error-ssrf-validation-failed` unless the URL passes Rocket.Chat's SSRF rules.
 * @throws Error with message `error-ssrf-validation-failed`
 */
export async function assertSsrfAllowed(url: string, allowlistSetting: unknown): Promise<void> {
  if (!(await isAllowedBySsrfRules(url, allowlistSetting))) throw new Error(SSRF_ERROR);
}

/** The `SSRF_Allowlist` entry an admin adds for one service: `host:port` of its URL (or `host` without a port). */
export function allowlistEntryFor(url: string): string {
  const { hostname, port } = new URL(url);
  return port ? `${hostname}:${port}` : hostname;
}
