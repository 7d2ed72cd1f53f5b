/**
 * IP addresses and CIDR blocks for source-ip conditions. CIDRs are compiled
 * once to numeric network/mask pairs (IPv4 as one 32-bit word, IPv6 as four);
 * the client address is parsed per request into caller-owned scratch, with no
 * allocation.
 *
 * Families stay apart, as in ALB: IPv4 blocks match IPv4 clients, IPv6 blocks
 * IPv6 clients. An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, which is how
 * Node reports IPv4 clients on a dual-stack socket) counts as IPv4, on either
 * side.
 */
import { validationError } from '../../core/errors.js';

/** Parsed address: family 4 uses v4, family 6 uses v6 (4 words, most significant first). */
export interface IpScratch {
  family: 0 | 4 | 6;
  v4: number;
  readonly v6: Uint32Array;
  readonly groups: Uint16Array;
}

export function newIpScratch(): IpScratch {
  return { family: 0, v4: 0, v6: new Uint32Array(4), groups: new Uint16Array(8) };
}

/** Dotted quad in s[from..to) as an unsigned 32-bit number, or -1. */
function parseV4(s: string, from: number, to: number): number {
  let value = 0;
  let octets = 0;
  let i = from;
  while (i <= to) {
    let v = 0;
    let digits = 0;
    while (i < to) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      digits++;
      i++;
    }
    if (digits === 0 || digits > 3 || v > 255) return -1;
    value = value * 256 + v;
    octets++;
    if (i === to) break;
    if (s.charCodeAt(i) !== 46 /* . */ || octets === 4) return -1;
    i++;
  }
  return octets === 4 ? value : -1;
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** IPv6 text in s[from..to) into g (8 groups); handles `::` and a dotted IPv4 tail. */
function parseV6(s: string, from: number, to: number, g: Uint16Array): boolean {
  let n = 0;
  let dbl = -1;
  let i = from;
  if (i + 1 < to && s.charCodeAt(i) === 58 && s.charCodeAt(i + 1) === 58) {
    dbl = 0;
    i += 2;
  }
  while (i < to) {
    if (n === 8) return false;
    let v = 0;
    let j = i;
    while (j < to && j - i < 5) {
      const h = hexVal(s.charCodeAt(j));
      if (h < 0) break;
      v = v * 16 + h;
      j++;
    }
    if (j < to && s.charCodeAt(j) === 46) {
      const v4 = n <= 6 ? parseV4(s, i, to) : -1;
      if (v4 < 0) return false;
      g[n++] = v4 >>> 16;
      g[n++] = v4 & 0xffff;
      i = to;
      break;
    }
    if (j === i || j - i > 4) return false;
    g[n++] = v;
    i = j;
    if (i === to) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (i < to && s.charCodeAt(i) === 58) {
      if (dbl >= 0) return false;
      dbl = n;
      i++;
    } else if (i === to) {
      return false;
    }
  }
  if (dbl < 0) return n === 8;
  if (n === 8) return false;
  const tail = n - dbl;
  for (let k = tail - 1; k >= 0; k--) g[8 - tail + k] = g[dbl + k]!;
  for (let k = dbl; k < 8 - tail; k++) g[k] = 0;
  return true;
}

/** Parses s[from..to) into out; returns false (family 0) when it is not an address. Zone ids (`%eth0`) are ignored. */
export function parseIp(s: string, out: IpScratch, from = 0, to = s.length): boolean {
  out.family = 0;
  const pct = s.indexOf('%', from);
  if (pct >= 0 && pct < to) to = pct;
  if (s.indexOf(':', from) < 0 || s.indexOf(':', from) >= to) {
    const v4 = parseV4(s, from, to);
    if (v4 < 0) return false;
    out.family = 4;
    out.v4 = v4;
    return true;
  }
  const g = out.groups;
  if (!parseV6(s, from, to, g)) return false;
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    out.family = 4;
    out.v4 = ((g[6]! << 16) | g[7]!) >>> 0;
    return true;
  }
  out.family = 6;
  for (let k = 0; k < 4; k++) out.v6[k] = ((g[2 * k]! << 16) | g[2 * k + 1]!) >>> 0;
  return true;
}

function maskWord(bits: number): number {
  if (bits <= 0) return 0;
  if (bits >= 32) return 0xffffffff;
  return (0xffffffff << (32 - bits)) >>> 0;
}

/** A compiled list of CIDR blocks (OR). */
export interface CidrSet {
  /** Parallel arrays: network, mask. */
  readonly v4: Uint32Array;
  /** Per block 8 words: network[4], mask[4]. */
  readonly v6: Uint32Array;
  contains(ip: IpScratch): boolean;
}

/** Compiles "10.0.0.0/8", "2001:db8::/32", or a bare address (= /32, /128). Throws ValidationError on bad input. */
export function compileCidrs(blocks: string[]): CidrSet {
  const v4: number[] = [];
  const v6: number[] = [];
  const scratch = newIpScratch();
  for (const block of blocks) {
    const slash = block.indexOf('/');
    const addrEnd = slash < 0 ? block.length : slash;
    if (!parseIp(block, scratch, 0, addrEnd)) throw validationError(`source-ip value '${block}' is not an IPv4 or IPv6 CIDR block; use e.g. 10.0.0.0/8 or 2001:db8::/32`);
    const max = scratch.family === 4 && block.indexOf(':') >= 0 ? 128 : scratch.family === 4 ? 32 : 128;
    let len = slash < 0 ? max : Number(block.slice(slash + 1));
    if (!Number.isInteger(len) || len < 0 || len > max || (slash >= 0 && block.length === slash + 1)) {
      throw validationError(`source-ip value '${block}' has a bad prefix length; it must be 0..${max}`);
    }
    if (scratch.family === 4) {
      // A mapped IPv6 block (::ffff:a.b.c.d/len) covers the IPv4 block of len - 96.
      if (max === 128) len = Math.max(0, len - 96);
      const mask = maskWord(len);
      v4.push((scratch.v4 & mask) >>> 0, mask);
    } else {
      const masks = [0, 1, 2, 3].map((k) => maskWord(len - 32 * k));
      for (let k = 0; k < 4; k++) v6.push((scratch.v6[k]! & masks[k]!) >>> 0);
      v6.push(...masks);
    }
  }
  return makeCidrSet(Uint32Array.from(v4), Uint32Array.from(v6));
}

function makeCidrSet(v4: Uint32Array, v6: Uint32Array): CidrSet {
  return {
    v4,
    v6,
    contains(ip) {
      if (ip.family === 4) {
        for (let i = 0; i < v4.length; i += 2) if (((ip.v4 & v4[i + 1]!) >>> 0) === v4[i]) return true;
        return false;
      }
      if (ip.family !== 6) return false;
      const a = ip.v6;
      for (let i = 0; i < v6.length; i += 8) {
        if (
          ((a[0]! & v6[i + 4]!) >>> 0) === v6[i] &&
          ((a[1]! & v6[i + 5]!) >>> 0) === v6[i + 1] &&
          ((a[2]! & v6[i + 6]!) >>> 0) === v6[i + 2] &&
          ((a[3]! & v6[i + 7]!) >>> 0) === v6[i + 3]
        ) {
          return true;
        }
      }
      return false;
    },
  };
}
