import { isIP } from 'node:net';
import Docker from 'dockerode';
import type { Clock } from '../../core/clock.js';
import { errorMessage, notFound, ShoalError, validationError } from '../../core/errors.js';
import { instanceType } from '../instance-types.js';
import {
  INCORRECT_INSTANCE_STATE, INSTANCE_NOT_FOUND, isInstanceId, subnetPrefix,
  type InstanceObservation, type LaunchSpec, type LogName, type LogRead, type Provider,
  type ReadLogOptions, type TerminateOptions,
} from '../provider.js';
import { Reservations } from '../addresses.js';
import { fromLabels, L, toLabels, type Labelled } from './labels.js';
import { demux, logWindow } from './logs.js';

export interface DockerProviderOptions {
  /** Zone name -> engine. Zones may share an engine. */
  engines: ReadonlyMap<string, Docker>;
  /**
   * Zone name -> how its containers are reached (model/zones.ts): `host`
   * (default) shares the engine host's network, each container on its own
   * loopback address; `bridge` publishes the app's port on a host port of
   * the engine's `address`.
   */
  networks?: ReadonlyMap<string, { network: 'host' | 'bridge'; address: string }>;
  clock: Clock;
  /** Label value separating this daemon's containers from others' on the same engines. */
  scope: string;
  terminatedRetentionMs?: number;
}

interface Rec extends Labelled {
  containerId: string;
  /** Bridge networking: the port the app listens on inside its container (published as `port` on `host`). */
  containerPort?: number;
  zoneEngine: Docker;
  state: InstanceObservation['state'];
  bootStatus: InstanceObservation['bootStatus'];
  impairedReason?: string;
  endedAt?: number;
  frozen?: boolean;
}

const TERMINATED = '-terminated';

/**
 * Instances as containers on Docker Engines, one engine (or more) per zone
 * (issue 12, docs/containers.md). Host networking: each container gets its
 * instance's loopback address and port in HOST/PORT, as process instances
 * do. Bridge networking: the container listens on HOST=0.0.0.0 and its
 * container port, published on a host port of the engine's address (a
 * dynamic one, or the task definition's fixed hostPort): that address and
 * published port are where it is reached. State lives on the engines: labels describe each container, and a
 * terminated one is renamed `<name>-terminated` and kept (with its log) for
 * the retention period, so a new provider adopts everything from the engines.
 */
export class DockerProvider implements Provider {
  private readonly recs = new Map<string, Rec>();
  private readonly reserved = new Reservations(() => [...this.recs.values()].filter((r) => r.state !== 'terminated'));
  private readonly impaired = new Map<string, string>();
  /** The last CPU/memory sample of each running container (sample()). */
  private readonly usage = new Map<string, { cpuNs: number; at: number; cpuPercent?: number; memoryBytes?: number }>();

  private constructor(private readonly opts: DockerProviderOptions) {}

  static async open(opts: DockerProviderOptions): Promise<DockerProvider> {
    const p = new DockerProvider(opts);
    await p.refresh();
    return p;
  }

  async launch(spec: LaunchSpec): Promise<InstanceObservation> {
    const type = instanceType(spec.instanceType);
    if (!isInstanceId(spec.instanceId)) throw validationError(`Invalid instance id '${spec.instanceId}': expected i-0 and 17 hex digits`);
    if (this.recs.has(spec.instanceId) || this.reserved.has(spec.instanceId)) throw validationError(`Instance ${spec.instanceId} already exists`);
    subnetPrefix(spec.zoneIndex);
    const engine = this.opts.engines.get(spec.availabilityZone);
    if (!engine) throw validationError(`Zone ${spec.availabilityZone} has no Docker engine in this provider`);
    const image = spec.imageDir.replace(/^docker:/, '');
    const a = await this.reserved.reserve(spec);
    const launchedAt = this.opts.clock.now();
    const net = this.opts.networks?.get(spec.availabilityZone);
    const bridge = net?.network === 'bridge' ? bridgePorts(spec, net.address) : undefined;
    try {
      const ncpu = (await engine.info() as { NCPU: number }).NCPU;
      const env = {
        ...spec.environment,
        INSTANCE_ID: spec.instanceId, HOST: bridge ? '0.0.0.0' : a.host, PORT: String(bridge?.containerPort ?? a.port), PRIVATE_IP: a.privateIp,
        AVAILABILITY_ZONE: spec.availabilityZone, INSTANCE_TYPE: type.name, LAUNCH_TEMPLATE_VERSION: spec.templateVersion,
      };
      const box = spec.container;
      const c = await engine.createContainer({
        name: this.name(spec.instanceId),
        Image: image,
        ...(box?.command ? { Cmd: box.command } : spec.userData?.trim() ? { Cmd: ['/bin/sh', '-c', spec.userData] } : {}),
        ...(box?.entryPoint ? { Entrypoint: box.entryPoint } : {}),
        ...(box?.healthCheck ? { Healthcheck: healthcheck(box.healthCheck) } : {}),
        Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
        Labels: { ...box?.labels, ...toLabels(this.opts.scope, spec, a, launchedAt) },
        ...(bridge ? { ExposedPorts: { [bridge.key]: {} } } : {}),
        HostConfig: {
          NetworkMode: bridge ? 'bridge' : 'host',
          ...(bridge ? { PortBindings: { [bridge.key]: [{ HostIp: bridge.bindIp, HostPort: bridge.hostPort }] } } : {}),
          RestartPolicy: { Name: 'no' },
          Memory: (box?.memoryMiB ?? type.memoryMiB) * 1024 * 1024,
          NanoCpus: Math.round(Math.min(box?.vcpus ?? type.vcpus, ncpu) * 1e9),
        },
      }).catch((err: { statusCode?: number; message?: string }) => {
        if (err.statusCode === 404) throw new ShoalError('InvalidAMIID.NotFound', `The container image ${image} is not on the engine of ${spec.availabilityZone}: docker pull or docker load it there`);
        if (err.statusCode === 409) throw validationError(`Instance ${spec.instanceId} already exists (a container ${this.name(spec.instanceId)} is on the engine)`);
        throw err;
      });
      await c.start();
      const published = bridge ? await publishedPort(c, bridge.key).catch(async (err: unknown) => {
        await c.remove({ force: true }).catch(() => undefined);
        throw err;
      }) : undefined;
      const where = bridge ? { host: net!.address, port: published!, containerPort: bridge.containerPort } : {};
      const rec: Rec = {
        ...a, ...where, instanceId: spec.instanceId, availabilityZone: spec.availabilityZone, instanceType: type.name,
        templateVersion: spec.templateVersion, tags: { ...spec.tags }, launchedAt,
        containerId: c.id, zoneEngine: engine, state: 'running', bootStatus: 'running',
      };
      this.recs.set(spec.instanceId, rec);
      return this.observe(rec);
    } finally {
      this.reserved.release(spec.instanceId);
    }
  }

  async terminate(instanceId: string, opts: TerminateOptions): Promise<void> {
    const rec = this.get(instanceId);
    if (rec.state === 'terminated') return;
    rec.state = 'stopping';
    const c = rec.zoneEngine.getContainer(rec.containerId);
    if (rec.frozen) await c.unpause().catch(() => undefined);
    await c.stop({ t: Math.ceil(opts.stopTimeoutMs / 1000) }).catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 304) throw err;
    });
    await c.rename({ name: this.name(instanceId) + TERMINATED });
    rec.state = 'terminated';
    delete rec.frozen;
    rec.endedAt = this.opts.clock.now();
  }

  async list(): Promise<InstanceObservation[]> {
    await this.refresh();
    return [...this.recs.values()].map((r) => this.observe(r));
  }

  async describe(instanceId: string): Promise<InstanceObservation | undefined> {
    await this.refresh();
    const r = this.recs.get(instanceId);
    return r && this.observe(r);
  }

  /**
   * CPU and memory from the engine's stats (one-shot, so a call does not wait
   * for the engine's own second sample): CPU% is the container's CPU time
   * since the previous sample over the time between them, against the
   * instance type's vCPUs, as the process provider measures it. The first
   * sample of a container has memory only.
   */
  async sample(now: number): Promise<InstanceObservation[]> {
    await this.refresh();
    const live = [...this.recs.values()].filter((r) => r.state === 'running' && !r.frozen && !r.impairedReason);
    await Promise.all(live.map((r) => this.sampleOne(r, now)));
    for (const id of this.usage.keys()) if (this.recs.get(id)?.state !== 'running') this.usage.delete(id);
    return [...this.recs.values()].map((r) => this.observe(r));
  }

  private async sampleOne(r: Rec, now: number): Promise<void> {
    let st: Docker.ContainerStats;
    try {
      st = await r.zoneEngine.getContainer(r.containerId).stats({ stream: false, 'one-shot': true });
    } catch {
      return; // the next refresh says why (engine down, container gone)
    }
    const cpuNs = st.cpu_stats?.cpu_usage?.total_usage;
    const memoryBytes = st.memory_stats?.usage;
    if (typeof cpuNs !== 'number') return;
    const prev = this.usage.get(r.instanceId);
    const u: { cpuNs: number; at: number; cpuPercent?: number; memoryBytes?: number } = { cpuNs, at: now };
    if (typeof memoryBytes === 'number') u.memoryBytes = memoryBytes;
    if (prev && now > prev.at && cpuNs >= prev.cpuNs) {
      const vcpus = instanceType(r.instanceType).vcpus;
      u.cpuPercent = Math.min(100, ((cpuNs - prev.cpuNs) / ((now - prev.at) * 1e6) / vcpus) * 100);
    }
    this.usage.set(r.instanceId, u);
  }

  async freeze(instanceId: string): Promise<void> {
    await this.setFrozen(instanceId, true);
  }

  async thaw(instanceId: string): Promise<void> {
    await this.setFrozen(instanceId, false);
  }

  private async setFrozen(instanceId: string, frozen: boolean): Promise<void> {
    await this.refresh();
    const rec = this.get(instanceId);
    if (rec.state !== 'running') {
      throw new ShoalError(INCORRECT_INSTANCE_STATE, `The instance '${instanceId}' is not in a state from which it can be ${frozen ? 'frozen' : 'thawed'} (it is ${rec.state})`);
    }
    if ((rec.frozen ?? false) === frozen) return;
    const c = rec.zoneEngine.getContainer(rec.containerId);
    if (frozen) await c.pause();
    else await c.unpause();
    if (frozen) rec.frozen = true;
    else delete rec.frozen;
  }

  /** Boot and app log are both the container's log (stdout and stderr). */
  async readLog(instanceId: string, _which: LogName, opts: ReadLogOptions = {}): Promise<LogRead> {
    const rec = this.get(instanceId);
    const raw = await rec.zoneEngine.getContainer(rec.containerId).logs({ stdout: true, stderr: true, follow: false }) as unknown as Buffer;
    const complete = rec.state === 'stopped' || rec.state === 'terminated';
    return logWindow(demux(raw), { ...(opts.from !== undefined ? { from: opts.from } : {}), maxBytes: opts.maxBytes ?? 65536, complete });
  }

  impairedZones(): ReadonlyMap<string, string> {
    return this.impaired;
  }

  async close(): Promise<void> {}

  private get(instanceId: string): Rec {
    const rec = this.recs.get(instanceId);
    if (!rec) throw notFound(INSTANCE_NOT_FOUND, `The instance ID '${instanceId}' does not exist`);
    return rec;
  }

  private name(instanceId: string): string {
    return `${this.opts.scope}-${instanceId}`;
  }

  private observe(r: Rec): InstanceObservation {
    const obs: InstanceObservation = {
      instanceId: r.instanceId, state: r.state, privateIp: r.privateIp, host: r.host, port: r.port,
      availabilityZone: r.availabilityZone, instanceType: r.instanceType, templateVersion: r.templateVersion,
      tags: { ...r.tags }, bootStatus: r.bootStatus, launchedAt: r.launchedAt,
    };
    if (r.impairedReason !== undefined) obs.impairedReason = r.impairedReason;
    if (r.endedAt !== undefined) obs.endedAt = r.endedAt;
    if (r.frozen && r.state === 'running') obs.frozen = true;
    const u = r.state === 'running' ? this.usage.get(r.instanceId) : undefined;
    if (u?.cpuPercent !== undefined) obs.cpuPercent = u.cpuPercent;
    if (u?.memoryBytes !== undefined) obs.memoryBytes = u.memoryBytes;
    return obs;
  }

  /** Re-reads each engine's shoal containers (of this scope); an engine that fails impairs its zones. */
  private async refresh(): Promise<void> {
    const byEngine = new Map<Docker, string[]>();
    for (const [zone, e] of this.opts.engines) byEngine.set(e, [...(byEngine.get(e) ?? []), zone]);
    for (const [engine, zones] of byEngine) {
      let listed: Docker.ContainerInfo[];
      try {
        listed = await engine.listContainers({ all: true, filters: { label: [`${L.scope}=${this.opts.scope}`] } });
      } catch (err) {
        for (const z of zones) this.impaired.set(z, `The Docker engine of ${z} does not answer: ${errorMessage(err)}`);
        for (const r of this.recs.values()) {
          if (zones.includes(r.availabilityZone) && r.state === 'running') r.impairedReason = `The Docker engine of ${r.availabilityZone} does not answer`;
        }
        continue;
      }
      for (const z of zones) this.impaired.delete(z);
      for (const info of listed) await this.advance(engine, info);
    }
    const now = this.opts.clock.now();
    for (const [id, r] of this.recs) {
      if (r.state === 'terminated' && now - (r.endedAt ?? now) > (this.opts.terminatedRetentionMs ?? 3_600_000)) {
        this.recs.delete(id);
        await r.zoneEngine.getContainer(r.containerId).remove({ force: true }).catch(() => undefined);
      }
    }
  }

  private async advance(engine: Docker, info: Docker.ContainerInfo): Promise<void> {
    const labelled = fromLabels(info.Labels);
    if (!labelled) return;
    let rec = this.recs.get(labelled.instanceId);
    const terminated = info.Names.some((n) => n.endsWith(TERMINATED));
    if (!rec) {
      rec = { ...labelled, containerId: info.Id, zoneEngine: engine, state: 'running', bootStatus: 'running' };
      const net = this.opts.networks?.get(labelled.availabilityZone);
      const pub = net?.network === 'bridge' ? info.Ports?.find((p) => p.PublicPort) : undefined;
      if (pub) Object.assign(rec, { host: net!.address, port: pub.PublicPort, containerPort: pub.PrivatePort });
      if (info.State === 'paused') rec.frozen = true;
      this.recs.set(labelled.instanceId, rec);
    }
    if (rec.state === 'terminated' || rec.state === 'stopping' || rec.state === 'stopped') {
      if (terminated && rec.state !== 'terminated') rec.state = 'terminated';
      return;
    }
    if (info.State === 'running' || info.State === 'paused' || info.State === 'created') {
      if (rec.impairedReason?.startsWith('The Docker engine')) delete rec.impairedReason;
      if (/\(unhealthy\)/.test(info.Status)) rec.impairedReason = 'Task failed container health checks (the container\'s HEALTHCHECK reports unhealthy)';
      return;
    }
    const ins = await engine.getContainer(info.Id).inspect().catch(() => undefined);
    const finished = ins ? Date.parse(ins.State.FinishedAt) : NaN;
    rec.endedAt = Number.isFinite(finished) && finished > 0 ? finished : this.opts.clock.now();
    delete rec.frozen;
    if (terminated) {
      rec.state = 'terminated';
      return;
    }
    rec.state = 'stopped';
    if (rec.bootStatus === 'running') rec.bootStatus = ins?.State.ExitCode === 0 ? 'succeeded' : 'failed';
    rec.impairedReason = ins?.State.OOMKilled
      ? `Container was killed for exceeding its memory limit (${instanceType(rec.instanceType).memoryMiB} MiB)`
      : `Container exited with status ${ins?.State.ExitCode ?? 'unknown'}; see the boot log`;
  }
}

/** Docker's Healthcheck from seconds (the Engine API takes nanoseconds). */
function healthcheck(h: NonNullable<NonNullable<LaunchSpec['container']>['healthCheck']>): Record<string, unknown> {
  const ns = (s: number) => s * 1e9;
  return { Test: h.test, Interval: ns(h.interval), Timeout: ns(h.timeout), Retries: h.retries, StartPeriod: ns(h.startPeriod) };
}

/**
 * Bridge networking: the container port (the task's, else the launch's),
 * published on the task's fixed host port or a dynamic one, bound to the
 * engine's address when it is an IP (all addresses when it is a name).
 */
function bridgePorts(spec: LaunchSpec, address: string): { key: string; containerPort: number; hostPort: string; bindIp: string } {
  const containerPort = spec.container?.port ?? spec.port;
  return {
    key: `${containerPort}/tcp`, containerPort,
    hostPort: spec.container?.hostPort !== undefined ? String(spec.container.hostPort) : '',
    bindIp: isIP(address) !== 0 ? address : '0.0.0.0',
  };
}

/** The host port the engine published a started container's port on. */
async function publishedPort(c: Docker.Container, key: string): Promise<number> {
  const ins = await c.inspect();
  const port = Number(ins.NetworkSettings.Ports?.[key]?.[0]?.HostPort);
  if (!Number.isInteger(port) || port <= 0) throw new ShoalError('InternalFailure', `The engine did not publish port ${key} of the container`, 500);
  return port;
}
