import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BootStatus, LaunchSpec } from '../provider.js';

/**
 * meta.json: everything the process provider knows about one instance, kept in
 * `<stateDir>/instances/<id>/meta.json` so a restarted daemon can adopt it.
 * Written atomically (temp file + rename): a crash leaves the old or the new copy.
 */
export interface InstanceMeta {
  version: 1;
  spec: LaunchSpec;
  /** The boot script actually run (userData, or the default for the image). */
  bootScript: string;
  privateIp: string;
  host: string;
  port: number;
  /** Boot script process = process group leader. */
  pid: number;
  /** /proc start time of pid, to tell it from a later process that reuses the pid. */
  startTicks: number;
  /** Command line of the boot shell; when pid shows another one, the script exec'd its app. */
  bootCmdline: string;
  launchedAt: number;
  state: 'running' | 'stopping' | 'stopped' | 'terminated';
  endedAt?: number;
  bootStatus: BootStatus;
  /** Console stream offset where the boot output ends, once boot ended. */
  bootEnd?: number;
  /** Exit of the boot script process, when this daemon saw it (it is our child). */
  exit?: { code: number | null; signal: string | null };
  impairedReason?: string;
  /** SIGSTOPped by freeze() (freeze.ts); cleared by thaw() and terminate(). */
  frozen?: boolean;
  console: ConsoleRotation;
}

/** See console-log.ts: console.log.1 holds [base, base + previousLength), console.log the rest. */
export interface ConsoleRotation {
  base: number;
  previousLength: number;
  /** Where boot.log starts in the stream, once boot.log is written. */
  bootLogStart?: number;
}

export function instancesRoot(stateDir: string): string {
  return join(stateDir, 'instances');
}

export function instanceDir(stateDir: string, instanceId: string): string {
  return join(instancesRoot(stateDir), instanceId);
}

export function writeMeta(dir: string, meta: InstanceMeta): void {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, 'meta.json.tmp');
  writeFileSync(tmp, JSON.stringify(meta, null, 2));
  renameSync(tmp, join(dir, 'meta.json'));
}

export function readMeta(dir: string): InstanceMeta | undefined {
  try {
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as InstanceMeta;
    return meta.version === 1 ? meta : undefined;
  } catch {
    return undefined;
  }
}

/** Ids of every instance directory with a readable meta.json. */
export function listMetas(stateDir: string): InstanceMeta[] {
  let names: string[];
  try {
    names = readdirSync(instancesRoot(stateDir));
  } catch {
    return [];
  }
  const out: InstanceMeta[] = [];
  for (const name of names.sort()) {
    const meta = readMeta(join(instancesRoot(stateDir), name));
    if (meta) out.push(meta);
  }
  return out;
}
