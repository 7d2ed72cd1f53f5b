/**
 * CreateService, UpdateService, DescribeServices, ListServices,
 * DeleteService over the model's `services` records (service-input.ts maps
 * ECS's input onto them). A service runs as an internal Auto Scaling group
 * (config/normalize-ecs.ts); what Describe shows of it is read from that
 * group (controlplane/ecs/view.ts). Service names are unique across clusters
 * here (they key the records). A deleted service is described INACTIVE until
 * the daemon restarts, and UpdateService answers ServiceNotActiveException
 * for it, as ECS does.
 */
import type { Service } from '../../../model/ecs.js';
import { describeService } from '../../../controlplane/ecs/view.js';
import type { Operations } from '../common/op.js';
import type { EcsDeps } from './deps.js';
import { invalidParameter, modelErrors, pageOf, serviceNotActive } from './errors.js';
import { EcsRefs, serviceName } from './refs.js';
import { createRecord, updateRecord } from './service-input.js';
import { withTags } from './tags.js';

type Obj = Record<string, unknown>;

/** How many deleted services Describe still shows. */
const KEEP_DELETED = 100;

export function serviceOps(d: EcsDeps): Operations {
  const deleted = new Map<string, Obj>();
  const key = (cluster: string, name: string) => `${cluster}/${name}`;
  const describe = (r: EcsRefs, svc: Service): Obj => describeService(r.arns, svc, d.ecs.runtime(svc), {
    createdAt: d.model.get('services', svc.name)?.createdAt ?? 0, targetGroupArn: (n) => r.targetGroupArn(n),
  });
  const fresh = (r: EcsRefs, svc: Service) => describe(r, r.service(svc.cluster, svc.name));

  return {
    async CreateService(input, ctx) {
      const r = new EcsRefs(d, ctx.region);
      const cluster = r.clusterForNewService(input.cluster);
      const name: string = input.serviceName;
      const other = d.model.effective.services.find((s) => s.name === name);
      if (other) {
        throw invalidParameter(other.cluster === cluster ? 'Creation of service was not idempotent.'
          : `A service named ${name} runs in cluster ${other.cluster}; shoal keys services by name across clusters, so choose another name.`);
      }
      await modelErrors(() => d.model.create('services', createRecord(r, input, cluster)));
      deleted.delete(key(cluster, name));
      return { service: withTags(describe(r, r.service(cluster, name)), true) };
    },

    async UpdateService(input, ctx) {
      const r = new EcsRefs(d, ctx.region);
      const cluster = r.cluster(input.cluster).name;
      const name = serviceName(input.service, cluster);
      if (deleted.has(key(cluster, name)) && !r.services(cluster).some((s) => s.name === name)) throw serviceNotActive(name);
      const svc = r.service(cluster, name);
      await modelErrors(() => d.model.update('services', svc.name, (raw) => updateRecord(r, input, raw)));
      return { service: withTags(fresh(r, svc), false) };
    },

    DescribeServices(input, ctx) {
      const r = new EcsRefs(d, ctx.region);
      const cluster = r.cluster(input.cluster).name;
      const tags = (input.include ?? []).includes('TAGS');
      const services: Obj[] = [];
      const failures: Obj[] = [];
      for (const ref of input.services as string[]) {
        const name = serviceName(ref, cluster);
        const svc = r.services(cluster).find((s) => s.name === name);
        const gone = deleted.get(key(cluster, name));
        if (svc) services.push(withTags(describe(r, svc), tags));
        else if (gone) services.push(withTags(gone, tags));
        else failures.push({ arn: ref.startsWith('arn:') ? ref : r.arns.service(cluster, ref), reason: 'MISSING' });
      }
      return { services, failures };
    },

    ListServices(input, ctx) {
      const r = new EcsRefs(d, ctx.region);
      const cluster = r.cluster(input.cluster).name;
      const arns = r.services(cluster)
        .filter((s) => (input.launchType === undefined || s.launchType === input.launchType) && (input.schedulingStrategy ?? 'REPLICA') === 'REPLICA')
        .map((s) => r.arns.service(cluster, s.name));
      const p = pageOf(arns, 'ListServices', input);
      return { serviceArns: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) };
    },

    async DeleteService(input, ctx) {
      const r = new EcsRefs(d, ctx.region);
      const cluster = r.cluster(input.cluster).name;
      const svc = r.service(cluster, input.service);
      const now = describe(r, svc);
      if ((now.desiredCount as number) > 0 && input.force !== true) {
        throw invalidParameter('The service cannot be stopped while it is scaled above 0. UpdateService it to desiredCount 0 first, or pass force.');
      }
      await modelErrors(() => d.model.remove('services', svc.name));
      deleted.set(key(cluster, svc.name), { ...now, status: 'INACTIVE', desiredCount: 0, runningCount: 0, pendingCount: 0, deployments: [] });
      for (const k of [...deleted.keys()].slice(0, Math.max(0, deleted.size - KEEP_DELETED))) deleted.delete(k);
      return { service: withTags({ ...now, status: 'DRAINING', desiredCount: 0 }, false) };
    },
  };
}
