/**
 * The PROXY protocol version 2 header (haproxy.org/download/2.9/doc/proxy-protocol.txt,
 * section 2.2), as a network load balancer sends it first on each connection
 * to a target of a group with proxy_protocol_v2.enabled: the 12-byte
 * signature, version 2 + PROXY command, the address family and transport,
 * the address block's length, then source and destination addresses and
 * ports in network byte order. IPv4-mapped IPv6 addresses (Node's
 * "::ffff:127.0.0.1" on dual-stack sockets) are sent as IPv4.
 *
 * API
 *   proxyV2Header({ source, sourcePort, destination, destinationPort }, transport?) -> Buffer
 *     addresses that are not both IPv4 or both IPv6 give an UNSPEC header
 *     (no address block; the receiver uses the connection's own addresses)
 */
import { isIPv4, isIPv6 } from 'node:net';

export const SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const VERSION_2_PROXY = 0x21;
const AF_UNSPEC = 0x00;
const AF_INET = 0x10;
const AF_INET6 = 0x20;
const STREAM = 0x01;
const DGRAM = 0x02;

export interface ProxiedAddresses {
  source: string;
  sourcePort: number;
  destination: string;
  destinationPort: number;
}

export function proxyV2Header(a: ProxiedAddresses, transport: 'tcp' | 'udp' = 'tcp'): Buffer {
  const proto = transport === 'tcp' ? STREAM : DGRAM;
  const src = unmapped(a.source);
  const dst = unmapped(a.destination);
  if (isIPv4(src) && isIPv4(dst)) {
    const out = header(AF_INET | proto, 12);
    writeIPv4(out, 16, src);
    writeIPv4(out, 20, dst);
    out.writeUInt16BE(a.sourcePort, 24);
    out.writeUInt16BE(a.destinationPort, 26);
    return out;
  }
  if (isIPv6(src) && isIPv6(dst)) {
    const out = header(AF_INET6 | proto, 36);
    writeIPv6(out, 16, src);
    writeIPv6(out, 32, dst);
    out.writeUInt16BE(a.sourcePort, 48);
    out.writeUInt16BE(a.destinationPort, 50);
    return out;
  }
  return header(AF_UNSPEC, 0);
}

function header(familyAndTransport: number, addressBytes: number): Buffer {
  const out = Buffer.alloc(16 + addressBytes);
  SIGNATURE.copy(out, 0);
  out[12] = VERSION_2_PROXY;
  out[13] = familyAndTransport;
  out.writeUInt16BE(addressBytes, 14);
  return out;
}

function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
}

function writeIPv4(out: Buffer, at: number, address: string): void {
  const parts = address.split('.');
  for (let i = 0; i < 4; i++) out[at + i] = Number(parts[i]);
}

/** Expands "::" and writes the eight 16-bit groups. */
function writeIPv6(out: Buffer, at: number, address: string): void {
  const [head, tail] = address.includes('::') ? address.split('::') as [string, string] : [address, undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  for (let i = 0; i < 8; i++) out.writeUInt16BE(parseInt(groups[i]!, 16), at + i * 2);
}
