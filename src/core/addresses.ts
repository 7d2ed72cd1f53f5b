/** What kind of address a host is: loopback, a wildcard bind, an IP literal (api.listen, Host headers). */
import { BlockList, isIP } from 'node:net';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6'); // and IPv4-mapped 127/8, which BlockList matches against the IPv4 rule

/** Canonical form of an IP literal, brackets removed ("[0:0::1]" -> "::1"); undefined when not an IP. */
export function canonicalIp(host: string): string | undefined {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const kind = isIP(bare);
  if (kind === 4) return bare;
  if (kind !== 6) return undefined;
  return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
}

/** 127.0.0.0/8, ::1 (also IPv4-mapped), and the name localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost') return true;
  const ip = canonicalIp(h);
  if (ip === undefined) return false;
  return loopback.check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6');
}

/** 0.0.0.0 and :: listen on every address, loopback included. */
export function isWildcardHost(host: string): boolean {
  const ip = canonicalIp(host);
  return ip === '0.0.0.0' || ip === '::';
}
