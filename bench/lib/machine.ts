/** What the bench ran on, for the results file: numbers only mean something next to this. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { toolVersion, which, type Tools } from './tools.js';

export interface Machine {
  nproc: number;
  cpuModel: string;
  kernel: string;
  node: string;
  nginx: string;
  haproxy: string;
  wrk: string;
  /** 1-minute load average when the run started: a busy shared box shows here. */
  loadAvg: string;
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1]!.trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export function describeMachine(tools: Tools): Machine {
  return {
    nproc: os.availableParallelism(),
    cpuModel: cpuModel(),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    nginx: toolVersion(tools.nginx || which('nginx') || '', '-v').replace(/^nginx version:\s*/, ''),
    haproxy: toolVersion(tools.haproxy || which('haproxy') || '', '-v').replace(/ - https?:\S+/, '').replace(/^HAProxy version/, 'HAProxy'),
    wrk: toolVersion(tools.wrk, '-v').replace(/\s*Copyright.*$/, ''),
    loadAvg: os.loadavg()[0]!.toFixed(2),
  };
}

export function machineLines(m: Machine): string[] {
  return [
    `- machine: ${m.nproc} CPU(s), ${m.cpuModel}, ${m.kernel}, load average ${m.loadAvg} at start`,
    `- node ${m.node}; nginx ${m.nginx.replace(/^nginx\//, '')}; haproxy ${m.haproxy.replace(/^HAProxy /, '')}; ${m.wrk}`,
  ];
}
