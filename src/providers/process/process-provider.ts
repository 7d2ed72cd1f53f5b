import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../core/clock.js';
import { errorMessage, notFound, validationError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/log.js';
import { instanceType } from '../instance-types.js';
import {
  INSTANCE_NOT_FOUND,
  type InstanceObservation, type LaunchSpec, type LogName, type LogRead, type Provider,
  type ReadLogOptions, type TerminateOptions,
} from '../provider.js';
import { checkSpec } from './allocate.js';
import { Reservations } from '../addresses.js';
import { bootScriptFor } from './boot-script.js';
import { BootWatch } from './boot-watch.js';
import { setFrozen, wakeToStop } from './freeze.js';
import { CONSOLE, readLogWindow, rotateIfNeeded, saveBootLog, streamEnd } from './console-log.js';
import { instanceDir, listMetas, writeMeta, type InstanceMeta } from './meta.js';
import { DEFAULT_METADATA, MetadataServer } from './metadata-server.js';
import { advance, toObservation } from './observe.js';
import { isListening, listeningSockets, pageSize, readCmdline, snapshotGroups, type ProcStat } from './proc.js';
import { measure, memoryViolation, type UsageSample } from './sampler.js';
import { INHERITED_ENV, instanceEnv, spawnBootScript } from './spawn.js';
import { killGroup, waitForEmptyGroup } from './stop.js';
import { makeWorkingCopy } from './working-copy.js';

const selfCmdline = readCmdline('self');

export interface ProcessProviderOptions {
  /** Holds instances/<id>/{dir/, meta.json, console.log, boot.log}. */
  stateDir: string;
  clock: Clock;
  log?: Logger;
  /** console.log + console.log.1 stay under this; default 5 MiB. */
  logCapBytes?: number;
  /** Instance metadata service address; false disables it. Default 127.0.0.1:1338. */
  metadata?: { host: string; port: number } | false;
  /** How long terminated instances stay listed; default one hour, as on AWS. */
  terminatedRetentionMs?: number;
  /** Boot end is checked this often while an instance boots; default 20 ms. */
  bootPollMs?: number;
  /** Daemon environment variables passed on to instances; default INHERITED_ENV. */
  inheritEnv?: readonly string[];
}

/**
 * Instances as local process trees (design.md "Providers"). See observe.ts for
 * the boot and status-check rules, console-log.ts for logs, metadata-server.ts
 * for the metadata service, spawn.ts for how processes outlive the daemon.
 * One daemon per state dir: two live providers on one dir would race on meta.json.
 * Linux only: it reads /proc, and relies on all of 127.0.0.0/8 being loopback
 * (on macOS only 127.0.0.1 is, unless aliases are added; use portMode 'dynamic').
 * Processes that leave their process group (setsid, daemonizing) escape
 * terminate() and sampling: there are no cgroups here.
 */
export class ProcessProvider implements Provider {
  private readonly metas = new Map<string, InstanceMeta>();
  private readonly awaitingExit = new Set<string>();
  private readonly seenAlive = new Set<string>();
  private readonly listening = new Set<string>();
  private readonly usage = new Map<string, { sample: UsageSample; cpuPercent?: number; memoryBytes: number }>();
  private readonly stopping = new Map<string, Promise<void>>();
  /** Addresses handed to launches still starting (no meta yet), one launch at a time (addresses.ts). */
  private readonly reserved = new Reservations(() => [...this.metas.values()].filter((m) => m.state !== 'terminated'));
  private readonly bootWatch: BootWatch;
  private readonly log: Logger;
  private closed = false;
  private readonly logCap: number;

  private constructor(private readonly opts: ProcessProviderOptions, private readonly metadata?: MetadataServer) {
    this.log = opts.log ?? silentLogger;
    this.logCap = opts.logCapBytes ?? 5 * 1024 * 1024;
    this.bootWatch = new BootWatch({
      clock: opts.clock,
      pollMs: opts.bootPollMs ?? 20,
      log: this.log,
      isBooting: (id) => {
        const m = this.metas.get(id);
        return m !== undefined && m.state === 'running' && m.bootStatus === 'running';
      },
      handedOver: (id) => {
        const m = this.metas.get(id);
        return m !== undefined && this.handedOver(m);
      },
      refresh: () => this.refresh(),
    });
  }

  /** Opens the state dir, adopts the instances found there and starts the metadata service. */
  static async open(opts: ProcessProviderOptions): Promise<ProcessProvider> {
    mkdirSync(join(opts.stateDir, 'instances'), { recursive: true });
    const log = opts.log ?? silentLogger;
    let server: MetadataServer | undefined;
    let provider: ProcessProvider | undefined;
    if (opts.metadata !== false) {
      const where = opts.metadata ?? DEFAULT_METADATA;
      server = new MetadataServer({ ...where, log, lookup: (ip) => provider?.metadataFor(ip) });
      await server.start();
    }
    provider = new ProcessProvider(opts, server);
    for (const meta of listMetas(opts.stateDir)) {
      provider.metas.set(meta.spec.instanceId, meta);
      if (meta.state === 'terminated') continue;
      await server?.addAddress(meta.privateIp);
      if (meta.bootStatus === 'running') provider.bootWatch.add(meta.spec.instanceId);
    }
    provider.refresh();
    return provider;
  }

  /** The metadata service's port (useful when it was opened on port 0). */
  get metadataPort(): number | undefined {
    return this.metadata?.port;
  }

  async launch(spec: LaunchSpec): Promise<InstanceObservation> {
    const type = instanceType(spec.instanceType);
    if (this.metas.has(spec.instanceId)) throw validationError(`Instance ${spec.instanceId} already exists`);
    const imageDir = checkSpec(spec);
    const bootScript = bootScriptFor(imageDir, spec.userData);
    const { privateIp, host, port } = await this.reserved.reserve(spec);
    const dir = instanceDir(this.opts.stateDir, spec.instanceId);
    try {
      await this.metadata?.addAddress(privateIp);
      const metadataUrl = this.metadata?.urlFor(privateIp);
      makeWorkingCopy(imageDir, join(dir, 'dir'));
      const env = instanceEnv({
        inherit: this.opts.inheritEnv ?? INHERITED_ENV,
        template: spec.environment,
        shoal: {
          INSTANCE_ID: spec.instanceId, HOST: host, PORT: String(port), PRIVATE_IP: privateIp,
          AVAILABILITY_ZONE: spec.availabilityZone, INSTANCE_TYPE: type.name,
          LAUNCH_TEMPLATE_VERSION: spec.templateVersion,
          ...(metadataUrl ? { SHOAL_METADATA_URL: metadataUrl, AWS_EC2_METADATA_SERVICE_ENDPOINT: metadataUrl } : {}),
        },
      });
      const spawned = spawnBootScript({ cwd: join(dir, 'dir'), script: bootScript, env, consolePath: join(dir, CONSOLE) });
      const meta: InstanceMeta = {
        version: 1, spec: { ...spec, imageDir }, bootScript, privateIp, host, port,
        pid: spawned.pid, startTicks: spawned.startTicks, bootCmdline: spawned.bootCmdline,
        launchedAt: this.opts.clock.now(), state: 'running', bootStatus: 'running',
        console: { base: 0, previousLength: 0 },
      };
      writeMeta(dir, meta);
      this.metas.set(spec.instanceId, meta);
      this.awaitingExit.add(spec.instanceId);
      this.seenAlive.add(spec.instanceId);
      spawned.child.on('exit', (code, signal) => this.onExit(spec.instanceId, code, signal));
      this.bootWatch.add(spec.instanceId);
      this.log.info({ instanceId: spec.instanceId, pid: spawned.pid, privateIp, port }, 'instance launched');
      return toObservation(meta, true);
    } catch (err) {
      this.metadata?.removeAddress(privateIp);
      rmSync(dir, { recursive: true, force: true });
      throw err;
    } finally {
      this.reserved.release(spec.instanceId);
    }
  }

  terminate(instanceId: string, opts: TerminateOptions): Promise<void> {
    const meta = this.metas.get(instanceId);
    if (!meta) return Promise.reject(notFound(INSTANCE_NOT_FOUND, `The instance ID '${instanceId}' does not exist`));
    if (meta.state === 'terminated') return Promise.resolve();
    let running = this.stopping.get(instanceId);
    if (!running) {
      running = this.stop(meta, opts).finally(() => this.stopping.delete(instanceId));
      this.stopping.set(instanceId, running);
    }
    return running;
  }

  async list(): Promise<InstanceObservation[]> {
    this.refresh();
    return [...this.metas.values()].map((m) => this.observe(m));
  }

  async describe(instanceId: string): Promise<InstanceObservation | undefined> {
    this.refresh();
    const meta = this.metas.get(instanceId);
    return meta && this.observe(meta);
  }

  async sample(now: number): Promise<InstanceObservation[]> {
    const groups = this.refresh();
    for (const meta of this.metas.values()) {
      if (meta.state !== 'running') continue;
      const id = meta.spec.instanceId;
      const type = instanceType(meta.spec.instanceType);
      const u = measure(this.members(meta, groups), this.usage.get(id)?.sample, now, { type, pageSize });
      this.usage.set(id, u.cpuPercent === undefined ? { sample: u.sample, memoryBytes: u.memoryBytes } : u);
      const violation = memoryViolation(u.memoryBytes, type);
      if (violation && meta.impairedReason === undefined) {
        // Like the kernel's OOM killer on a real machine: no grace, the cause recorded.
        meta.impairedReason = violation;
        writeMeta(instanceDir(this.opts.stateDir, id), meta);
        killGroup(meta.pid, 'SIGKILL');
        this.log.warn({ instanceId: id, memoryBytes: u.memoryBytes }, violation);
      }
    }
    return this.list();
  }

  async freeze(instanceId: string): Promise<void> {
    this.setFrozen(instanceId, true);
  }

  async thaw(instanceId: string): Promise<void> {
    this.setFrozen(instanceId, false);
  }

  private setFrozen(instanceId: string, frozen: boolean): void {
    this.refresh();
    const meta = this.metas.get(instanceId);
    if (setFrozen(instanceId, meta, frozen)) writeMeta(instanceDir(this.opts.stateDir, instanceId), meta!);
  }

  async readLog(instanceId: string, which: LogName, opts: ReadLogOptions = {}): Promise<LogRead> {
    const meta = this.metas.get(instanceId);
    if (!meta) throw notFound(INSTANCE_NOT_FOUND, `The instance ID '${instanceId}' does not exist`);
    this.refresh();
    const ended = meta.state === 'stopped' || meta.state === 'terminated';
    return readLogWindow(instanceDir(this.opts.stateDir, instanceId), meta, which, {
      from: opts.from, maxBytes: opts.maxBytes ?? 65536, ended,
    });
  }

  /** Every zone is on this machine: none is ever impaired. */
  impairedZones(): ReadonlyMap<string, string> {
    return new Map();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.bootWatch.stop();
    await this.metadata?.close();
  }

  private metadataFor(ip: string) {
    if (this.closed) return undefined;
    for (const m of this.metas.values()) {
      if (m.privateIp !== ip || m.state === 'terminated') continue;
      const { instanceId, instanceType: type, availabilityZone, userData, tags } = m.spec;
      return { instanceId, instanceType: type, privateIp: ip, availabilityZone, userData, tags };
    }
    return undefined;
  }

  /** Members of the instance's process group; the start-time check guards against pid reuse. */
  private members(meta: InstanceMeta, groups: Map<number, ProcStat[]>): ProcStat[] {
    return (groups.get(meta.pid) ?? []).filter((p) => p.startTicks >= meta.startTicks);
  }

  /**
   * Has the boot script exec'd its app? Its pid shows a command line that is
   * neither the boot shell's nor (in the instant between fork and exec, which
   * spawn() may return before) this daemon's own.
   */
  private handedOver(meta: InstanceMeta): boolean {
    const cmd = readCmdline(meta.pid);
    return cmd !== undefined && cmd !== '' && cmd !== meta.bootCmdline && cmd !== selfCmdline;
  }

  private observe(meta: InstanceMeta): InstanceObservation {
    const alive = meta.state === 'running' || meta.state === 'stopping';
    const obs = toObservation(meta, alive);
    const u = this.usage.get(meta.spec.instanceId);
    if (u && meta.state === 'running') {
      if (u.cpuPercent !== undefined) obs.cpuPercent = u.cpuPercent;
      obs.memoryBytes = u.memoryBytes;
    }
    if (meta.state === 'running') obs.listening = this.listening.has(meta.spec.instanceId);
    return obs;
  }

  /** Re-reads /proc and moves every running instance forward; purges long-terminated ones. */
  private refresh(): Map<number, ProcStat[]> {
    const groups = snapshotGroups();
    const sockets = listeningSockets();
    const now = this.opts.clock.now();
    for (const meta of [...this.metas.values()]) {
      const id = meta.spec.instanceId;
      const dir = instanceDir(this.opts.stateDir, id);
      if (meta.state === 'terminated') {
        if (now - (meta.endedAt ?? now) > (this.opts.terminatedRetentionMs ?? 3_600_000)) {
          this.metas.delete(id);
          rmSync(dir, { recursive: true, force: true });
        }
        continue;
      }
      const members = this.members(meta, groups);
      const listening = isListening(sockets, meta.host, meta.port);
      if (listening) this.listening.add(id);
      else this.listening.delete(id);
      const changed = advance(meta, {
        members,
        listening,
        handedOver: members.some((p) => p.pid === meta.pid) && this.handedOver(meta),
        consoleEnd: streamEnd(dir, meta),
        awaitingExit: this.awaitingExit.has(id),
        seenAlive: this.seenAlive.has(id),
      }, now);
      if (members.length > 0) this.seenAlive.add(id);
      if (changed && meta.bootEnd !== undefined && meta.console.bootLogStart === undefined) saveBootLog(dir, meta, meta.bootEnd);
      if (changed && meta.state === 'stopped') this.log.warn({ instanceId: id, reason: meta.impairedReason }, 'instance stopped');
      if (rotateIfNeeded(dir, meta, this.logCap) || changed) writeMeta(dir, meta);
    }
    return groups;
  }

  private onExit(instanceId: string, code: number | null, signal: NodeJS.Signals | null): void {
    this.awaitingExit.delete(instanceId);
    if (this.closed) return;
    const meta = this.metas.get(instanceId);
    if (!meta) return;
    meta.exit = { code, signal };
    try {
      writeMeta(instanceDir(this.opts.stateDir, instanceId), meta);
      this.refresh();
    } catch (err) {
      this.log.error({ instanceId, err: errorMessage(err) }, 'recording instance exit failed');
    }
  }

  private async stop(meta: InstanceMeta, opts: TerminateOptions): Promise<void> {
    const id = meta.spec.instanceId;
    const dir = instanceDir(this.opts.stateDir, id);
    const clock = this.opts.clock;
    const empty = () => this.members(meta, snapshotGroups()).length === 0;
    if (meta.state !== 'stopped') {
      meta.state = 'stopping';
      writeMeta(dir, meta);
      killGroup(meta.pid, 'SIGTERM');
      wakeToStop(meta);
      if (!(await waitForEmptyGroup(clock, empty, opts.stopTimeoutMs))) {
        this.log.warn({ instanceId: id, stopTimeoutMs: opts.stopTimeoutMs }, 'instance ignored SIGTERM; sending SIGKILL');
        killGroup(meta.pid, 'SIGKILL');
        await waitForEmptyGroup(clock, empty, 5000);
      }
    }
    this.bootWatch.forget(id);
    if (meta.bootEnd === undefined) {
      meta.bootEnd = streamEnd(dir, meta);
      saveBootLog(dir, meta, meta.bootEnd);
    }
    meta.state = 'terminated';
    meta.endedAt = clock.now();
    this.usage.delete(id);
    this.metadata?.removeAddress(meta.privateIp);
    rmSync(join(dir, 'dir'), { recursive: true, force: true });
    writeMeta(dir, meta);
    this.log.info({ instanceId: id }, 'instance terminated');
  }
}
