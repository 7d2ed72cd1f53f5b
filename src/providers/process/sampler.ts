import type { InstanceType } from '../instance-types.js';
import { CLOCK_TICKS_PER_SECOND, type ProcStat } from './proc.js';

/**
 * CPU and memory of one instance's process tree (every process in its process
 * group). CPU counts each member's own time plus the time of children it has
 * reaped (cutime/cstime), so short-lived helpers are not missed; a member that
 * exits takes its ticks with it, which can only make a sample lower, and a
 * negative delta counts as zero.
 *
 * CPU% is measured against the instance type's vCPUs and capped at 100, like
 * CloudWatch's CPUUtilization. Nothing enforces the vCPU count (no cgroups), so
 * a busy instance can use more of the host than its type says; the cap keeps
 * the metric in AWS's range.
 */
export interface UsageSample {
  at: number;
  cpuTicks: number;
}

export interface Usage {
  cpuPercent: number | undefined;
  memoryBytes: number;
  sample: UsageSample;
}

export function measure(
  members: readonly ProcStat[],
  prev: UsageSample | undefined,
  now: number,
  opts: { type: InstanceType; pageSize: number },
): Usage {
  let ticks = 0;
  let pages = 0;
  for (const p of members) {
    ticks += p.cpuTicks;
    pages += p.rssPages;
  }
  let cpuPercent: number | undefined;
  if (prev && now > prev.at) {
    const cpuSeconds = Math.max(0, ticks - prev.cpuTicks) / CLOCK_TICKS_PER_SECOND;
    const capacity = ((now - prev.at) / 1000) * opts.type.vcpus;
    cpuPercent = Math.min(100, (cpuSeconds / capacity) * 100);
  }
  return { cpuPercent, memoryBytes: pages * opts.pageSize, sample: { at: now, cpuTicks: ticks } };
}

/** The impairment for a tree over its type's memory, or undefined when within it. */
export function memoryViolation(memoryBytes: number, type: InstanceType): string | undefined {
  const limit = type.memoryMiB * 1024 * 1024;
  if (memoryBytes <= limit) return undefined;
  const mib = Math.round(memoryBytes / 1024 / 1024);
  return `Instance ran out of memory: ${mib} MiB resident exceeds the ${type.memoryMiB} MiB of ${type.name}; it was killed`;
}
