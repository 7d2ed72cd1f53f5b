/**
 * The daemon's provider when some zones run containers: launches go to the
 * zone's provider (the Docker provider for zones with an engine, the process
 * provider for the others); everything else goes to the provider that owns
 * the instance. The ASG service sees one provider, as it sees one with
 * process zones only.
 */
import { notFound, validationError } from '../core/errors.js';
import { isContainerImage } from '../model/auto-scaling.js';
import { INSTANCE_NOT_FOUND, type InstanceObservation, type LaunchSpec, type LogName, type LogRead, type Provider, type ReadLogOptions, type TerminateOptions } from './provider.js';

export class ZonedProvider implements Provider {
  private readonly owners = new Map<string, Provider>();
  private readonly all: Provider[];

  /** `local` runs the zones `byZone` does not name. */
  constructor(private readonly local: Provider, private readonly byZone: ReadonlyMap<string, Provider>) {
    this.all = [...new Set([local, ...byZone.values()])];
  }

  async launch(spec: LaunchSpec): Promise<InstanceObservation> {
    const p = this.byZone.get(spec.availabilityZone);
    const container = isContainerImage(spec.imageDir);
    if (p && !container) {
      throw validationError(`Zone ${spec.availabilityZone} runs containers on a Docker engine: the launch template's imageId must name a container image (docker:repo/name:tag), not ${spec.imageDir}`);
    }
    if (!p && container) {
      throw validationError(`Zone ${spec.availabilityZone} runs processes: the container image ${spec.imageDir} needs a zone with a Docker engine (zones: [{ name: ${spec.availabilityZone}, docker: { host: ... } }])`);
    }
    const owner = p ?? this.local;
    const obs = await owner.launch(spec);
    this.owners.set(spec.instanceId, owner);
    return obs;
  }

  async terminate(instanceId: string, opts: TerminateOptions): Promise<void> {
    return (await this.owner(instanceId)).terminate(instanceId, opts);
  }

  async list(): Promise<InstanceObservation[]> {
    return this.each((p) => p.list());
  }

  async describe(instanceId: string): Promise<InstanceObservation | undefined> {
    const known = this.owners.get(instanceId);
    if (known) return known.describe(instanceId);
    for (const p of this.all) {
      const o = await p.describe(instanceId);
      if (o) {
        this.owners.set(instanceId, p);
        return o;
      }
    }
    return undefined;
  }

  async sample(now: number): Promise<InstanceObservation[]> {
    return this.each((p) => p.sample(now));
  }

  async freeze(instanceId: string): Promise<void> {
    return (await this.owner(instanceId)).freeze(instanceId);
  }

  async thaw(instanceId: string): Promise<void> {
    return (await this.owner(instanceId)).thaw(instanceId);
  }

  async readLog(instanceId: string, which: LogName, opts?: ReadLogOptions): Promise<LogRead> {
    return (await this.owner(instanceId)).readLog(instanceId, which, opts);
  }

  impairedZones(): ReadonlyMap<string, string> {
    const out = new Map<string, string>();
    for (const p of this.all) for (const [z, why] of p.impairedZones()) out.set(z, why);
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((p) => p.close()));
  }

  /** Every provider's instances, each remembered with its owner. */
  private async each(f: (p: Provider) => Promise<InstanceObservation[]>): Promise<InstanceObservation[]> {
    const lists = await Promise.all(this.all.map(async (p) => ({ p, list: await f(p) })));
    const out: InstanceObservation[] = [];
    for (const { p, list } of lists) {
      for (const o of list) this.owners.set(o.instanceId, p);
      out.push(...list);
    }
    return out;
  }

  private async owner(instanceId: string): Promise<Provider> {
    if (!this.owners.has(instanceId)) await this.describe(instanceId);
    const p = this.owners.get(instanceId);
    if (!p) throw notFound(INSTANCE_NOT_FOUND, `The instance ID '${instanceId}' does not exist`);
    return p;
  }
}
