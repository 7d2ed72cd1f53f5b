import type { Clock } from '../../core/clock.js';
import { ShoalError, notFound, validationError } from '../../core/errors.js';
import { instanceType } from '../instance-types.js';
import {
  INCORRECT_INSTANCE_STATE, INSTANCE_NOT_FOUND, allocatePrivateIp, isInstanceId, subnetPrefix,
  type InstanceObservation, type LaunchSpec, type LogName, type LogRead, type Provider,
  type ReadLogOptions, type TerminateOptions,
} from '../provider.js';
import { FakeWorld, type FakeInstance, type LaunchScript } from './world.js';

export interface FakeProviderOptions {
  clock: Clock;
  /** The backing state; pass the same world to a new provider to test adoption. */
  world?: FakeWorld;
  /** Defaults for every launch without its own script. */
  defaults?: LaunchScript;
  terminatedRetentionMs?: number;
}

/**
 * A scripted provider for controller tests: no processes, no sockets, time from
 * the (manual) clock. Everything is decided when observed, from the clock:
 *
 *   provider.failLaunch(3, 'no capacity')           // the 3rd launch rejects
 *   provider.scriptLaunch(2, { bootMs: 5000, bootExitStatus: 1 })
 *   provider.dieAt('i-0...', clock.now() + 1000, 'Instance process was killed by SIGKILL')
 *   provider.setUsage('i-0...', { cpuPercent: 80 })
 *   provider.impairZone('zone-b', 'engine down')    // launches there fail; its instances are impaired
 *
 * Launch numbers count every launch attempt on the world, from 1.
 * Observable behaviour matches the process provider (contract.ts): a failed
 * boot stops the instance with "Boot script exited with status N; see the boot log".
 */
export class FakeProvider implements Provider {
  readonly world: FakeWorld;

  constructor(private readonly opts: FakeProviderOptions) {
    this.world = opts.world ?? new FakeWorld();
  }

  /** Scripts the nth launch attempt (1-based, counted on the world). */
  scriptLaunch(n: number, script: LaunchScript): void {
    this.world.scripts.set(n, script);
  }

  failLaunch(n: number, message = 'Insufficient capacity (scripted failure)'): void {
    this.scriptLaunch(n, { reject: new ShoalError('InsufficientInstanceCapacity', message, 500) });
  }

  /** The instance's processes end at `at` (it becomes stopped, impaired with reason). */
  dieAt(instanceId: string, at: number, reason = 'Instance process was killed by SIGKILL; no process of the instance is left'): void {
    const inst = this.get(instanceId);
    inst.dieAt = { at, reason };
  }

  crash(instanceId: string, reason?: string): void {
    this.dieAt(instanceId, this.opts.clock.now(), reason);
  }

  setUsage(instanceId: string, usage: { cpuPercent?: number; memoryBytes?: number }): void {
    Object.assign(this.get(instanceId), usage);
  }

  /**
   * The zone stops answering, as a docker provider's engine that is down: it is
   * listed by impairedZones(), launches in it reject, and its running instances'
   * status checks fail with `reason`, until restoreZone().
   */
  impairZone(zone: string, reason: string): void {
    this.world.impairedZones.set(zone, reason);
  }

  restoreZone(zone: string): void {
    this.world.impairedZones.delete(zone);
  }

  impairedZones(): ReadonlyMap<string, string> {
    return new Map(this.world.impairedZones);
  }

  appendLog(instanceId: string, which: LogName, text: string): void {
    const inst = this.get(instanceId);
    inst.logs[which] += text;
  }

  async launch(spec: LaunchSpec): Promise<InstanceObservation> {
    const n = ++this.world.launchAttempts;
    const script = { ...this.opts.defaults, ...this.world.scripts.get(n) };
    this.world.calls.push({ op: 'launch', instanceId: spec.instanceId, at: this.opts.clock.now() });
    instanceType(spec.instanceType);
    if (!isInstanceId(spec.instanceId)) throw validationError(`Invalid instance id '${spec.instanceId}'`);
    if (this.world.instances.has(spec.instanceId)) throw validationError(`Instance ${spec.instanceId} already exists`);
    subnetPrefix(spec.zoneIndex);
    const impaired = this.world.impairedZones.get(spec.availabilityZone);
    if (impaired) throw new ShoalError('InsufficientInstanceCapacity', `${spec.availabilityZone} is unavailable: ${impaired}`, 500);
    if (script.reject) throw typeof script.reject === 'string' ? new ShoalError('InternalError', script.reject, 500) : script.reject;
    const taken = new Set([...this.world.instances.values()].filter((i) => i.state !== 'terminated').map((i) => i.privateIp));
    const privateIp = allocatePrivateIp(spec.zoneIndex, taken);
    if (!privateIp) throw new ShoalError('InsufficientInstanceCapacity', `No free address left in ${spec.availabilityZone}`, 500);
    const dynamic = spec.portMode === 'dynamic';
    const now = this.opts.clock.now();
    const inst: FakeInstance = {
      spec: { ...spec, tags: { ...spec.tags }, environment: { ...spec.environment } },
      privateIp,
      host: dynamic ? '127.0.0.1' : privateIp,
      port: dynamic ? 32768 + n : spec.port,
      launchedAt: now,
      state: 'pending',
      bootStatus: 'running',
      pendingUntil: now + (script.pendingMs ?? 0),
      bootUntil: now + (script.pendingMs ?? 0) + (script.bootMs ?? 0),
      bootExitStatus: script.bootExitStatus ?? 0,
      logs: { boot: `fake boot of ${spec.instanceId}\n`, app: '' },
    };
    if (script.deaf) inst.deaf = true;
    if (script.dieAfterMs !== undefined) inst.dieAt = { at: now + script.dieAfterMs, reason: script.dieReason ?? 'Instance process exited with status 1; no process of the instance is left' };
    this.world.instances.set(spec.instanceId, inst);
    return this.observe(inst);
  }

  async terminate(instanceId: string, _opts: TerminateOptions): Promise<void> {
    const inst = this.world.instances.get(instanceId);
    this.world.calls.push({ op: 'terminate', instanceId, at: this.opts.clock.now() });
    if (!inst) throw notFound(INSTANCE_NOT_FOUND, `The instance ID '${instanceId}' does not exist`);
    this.advance(inst);
    if (inst.state === 'terminated') return;
    inst.state = 'terminated';
    delete inst.frozen;
    inst.endedAt = this.opts.clock.now();
  }

  async list(): Promise<InstanceObservation[]> {
    const now = this.opts.clock.now();
    const retention = this.opts.terminatedRetentionMs ?? 3_600_000;
    for (const [id, inst] of this.world.instances) {
      if (inst.state === 'terminated' && now - (inst.endedAt ?? now) > retention) this.world.instances.delete(id);
    }
    return [...this.world.instances.values()].map((i) => this.observe(i));
  }

  async describe(instanceId: string): Promise<InstanceObservation | undefined> {
    const inst = this.world.instances.get(instanceId);
    return inst && this.observe(inst);
  }

  async sample(_now: number): Promise<InstanceObservation[]> {
    return this.list();
  }

  async freeze(instanceId: string): Promise<void> {
    this.setFrozen(instanceId, true);
  }

  async thaw(instanceId: string): Promise<void> {
    this.setFrozen(instanceId, false);
  }

  private setFrozen(instanceId: string, frozen: boolean): void {
    this.world.calls.push({ op: frozen ? 'freeze' : 'thaw', instanceId, at: this.opts.clock.now() });
    const inst = this.get(instanceId);
    this.advance(inst);
    if (inst.state !== 'running') {
      throw new ShoalError(INCORRECT_INSTANCE_STATE, `The instance '${instanceId}' is not in a state from which it can be ${frozen ? 'frozen' : 'thawed'} (it is ${inst.state})`);
    }
    if (frozen) inst.frozen = true;
    else delete inst.frozen;
  }

  async readLog(instanceId: string, which: LogName, opts: ReadLogOptions = {}): Promise<LogRead> {
    const inst = this.world.instances.get(instanceId);
    if (!inst) throw notFound(INSTANCE_NOT_FOUND, `The instance ID '${instanceId}' does not exist`);
    this.advance(inst);
    const bytes = Buffer.from(inst.logs[which]);
    const max = opts.maxBytes ?? 65536;
    const from = Math.min(bytes.length, Math.max(0, opts.from ?? bytes.length - max));
    const end = Math.min(bytes.length, from + max);
    const ended = which === 'boot' ? inst.bootStatus !== 'running' : inst.state === 'stopped' || inst.state === 'terminated';
    return { text: bytes.subarray(from, end).toString('utf8'), from, end, complete: ended && end === bytes.length };
  }

  async close(): Promise<void> {}

  private get(instanceId: string): FakeInstance {
    const inst = this.world.instances.get(instanceId);
    if (!inst) throw notFound(INSTANCE_NOT_FOUND, `The instance ID '${instanceId}' does not exist`);
    return inst;
  }

  /** Applies everything scripted to happen by now, in time order. */
  private advance(inst: FakeInstance): void {
    if (inst.state === 'terminated' || inst.state === 'stopped') return;
    const now = this.opts.clock.now();
    const dies = inst.dieAt && inst.dieAt.at <= now ? inst.dieAt : undefined;
    if (inst.state === 'pending' && now >= inst.pendingUntil && (!dies || dies.at >= inst.pendingUntil)) inst.state = 'running';
    if (inst.bootStatus === 'running' && now >= inst.bootUntil && (!dies || dies.at >= inst.bootUntil)) {
      if (inst.bootExitStatus === 0) {
        inst.bootStatus = 'succeeded';
      } else {
        inst.bootStatus = 'failed';
        inst.impairedReason = `Boot script exited with status ${inst.bootExitStatus}; see the boot log`;
        inst.logs.boot += `boot script exited with status ${inst.bootExitStatus}\n`;
        inst.state = 'stopped';
        inst.endedAt = inst.bootUntil;
        return;
      }
    }
    if (dies) {
      inst.state = 'stopped';
      inst.endedAt = dies.at;
      inst.impairedReason ??= dies.reason;
      if (inst.bootStatus === 'running') inst.bootStatus = 'failed';
    }
  }

  private observe(inst: FakeInstance): InstanceObservation {
    this.advance(inst);
    const obs: InstanceObservation = {
      instanceId: inst.spec.instanceId,
      state: inst.state,
      privateIp: inst.privateIp,
      host: inst.host,
      port: inst.port,
      availabilityZone: inst.spec.availabilityZone,
      instanceType: inst.spec.instanceType,
      templateVersion: inst.spec.templateVersion,
      tags: { ...inst.spec.tags },
      bootStatus: inst.bootStatus,
      launchedAt: inst.launchedAt,
    };
    if (inst.impairedReason !== undefined) obs.impairedReason = inst.impairedReason;
    const zoneDown = this.world.impairedZones.get(inst.spec.availabilityZone);
    if (zoneDown !== undefined && inst.state === 'running') obs.impairedReason ??= zoneDown;
    if (inst.endedAt !== undefined) obs.endedAt = inst.endedAt;
    if (inst.state === 'running') {
      if (inst.frozen) obs.frozen = true;
      obs.listening = inst.bootStatus === 'succeeded' && !inst.deaf;
      if (inst.cpuPercent !== undefined) obs.cpuPercent = inst.cpuPercent;
      if (inst.memoryBytes !== undefined) obs.memoryBytes = inst.memoryBytes;
    }
    return obs;
  }
}
