import { readFileSync, readdirSync } from 'node:fs';

/**
 * Reading Linux /proc: the process provider's view of its instances' process
 * trees. Everything here is synchronous and cheap (a few small files per
 * process); callers take one snapshot per refresh and share it.
 */

export interface ProcStat {
  pid: number;
  /** R, S, D, Z, T, ... */
  state: string;
  ppid: number;
  pgrp: number;
  /** utime + stime + cutime + cstime, in clock ticks. */
  cpuTicks: number;
  /** Start time in clock ticks since boot: with the pid, identifies a process across pid reuse. */
  startTicks: number;
  rssPages: number;
}

/** USER_HZ: 100 on every Linux that Node runs on. */
export const CLOCK_TICKS_PER_SECOND = 100;

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses, so split after the last ')'. */
export function parseStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state); field n is f[n - 3].
  const num = (field: number) => Number(f[field - 3]);
  return {
    pid,
    state: f[0] ?? '?',
    ppid: num(4),
    pgrp: num(5),
    cpuTicks: num(14) + num(15) + num(16) + num(17),
    startTicks: num(22),
    rssPages: num(24),
  };
}

export function readStat(pid: number): ProcStat | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Living (non-zombie) processes, grouped by process group id. */
export function snapshotGroups(): Map<number, ProcStat[]> {
  const groups = new Map<number, ProcStat[]>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return groups;
  }
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    const st = readStat(Number(name));
    if (!st || st.state === 'Z' || st.state === 'X') continue;
    const members = groups.get(st.pgrp);
    if (members) members.push(st);
    else groups.set(st.pgrp, [st]);
  }
  return groups;
}

/** A process's command line, NUL-separated as the kernel keeps it. */
export function readCmdline(pid: number | 'self'): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Bytes per page, derived once from our own RSS (4 KiB on x86-64, 16/64 KiB on some arm64). */
export const pageSize: number = (() => {
  const self = readStat(process.pid);
  if (!self || self.rssPages <= 0) return 4096;
  const ratio = process.memoryUsage().rss / self.rssPages;
  return [4096, 16384, 65536].reduce((a, b) => (Math.abs(b - ratio) < Math.abs(a - ratio) ? b : a));
})();

function hexIpv4(hex: string): string {
  // /proc/net/tcp prints the address as a little-endian 32-bit number.
  const n = parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.');
}

/** Addresses ("ip:port") with a listening TCP socket, from /proc/net/tcp and tcp6. */
export function listeningSockets(): Set<string> {
  const out = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] !== '0A') continue; // TCP_LISTEN
      const [addr, portHex] = (cols[1] ?? '').split(':');
      if (!addr || !portHex) continue;
      const port = parseInt(portHex, 16);
      if (addr.length === 8) out.add(`${hexIpv4(addr)}:${port}`);
      else if (/^0+$/.test(addr)) out.add(`:::${port}`);
      else if (addr.startsWith('0000000000000000FFFF0000')) out.add(`${hexIpv4(addr.slice(24))}:${port}`);
    }
  }
  return out;
}

/** Is something listening where an instance's app should (its address, or any address)? */
export function isListening(sockets: ReadonlySet<string>, ip: string, port: number): boolean {
  return sockets.has(`${ip}:${port}`) || sockets.has(`0.0.0.0:${port}`) || sockets.has(`:::${port}`);
}
