/**
 * CreateCluster, DescribeClusters, ListClusters, DeleteCluster over the
 * model's `clusters` records. A cluster made here runs its tasks in every
 * zone with a Docker engine (the config's clusters[].availabilityZones is not
 * part of ECS's API). CreateCluster of an existing name answers that cluster,
 * as ECS does; a cluster with services cannot be deleted.
 */
import type { Cluster } from '../../../model/ecs.js';
import { describeCluster } from '../../../controlplane/ecs/view.js';
import { awsError, type Operations } from '../common/op.js';
import type { EcsDeps } from './deps.js';
import { modelErrors, pageOf } from './errors.js';
import { refuseOthers } from './ignored.js';
import { clusterName, EcsRefs } from './refs.js';
import { tagsIn, withTags } from './tags.js';
import { serviceCounts } from './tasks.js';

type Obj = Record<string, unknown>;

/** settings (containerInsights) and configuration change nothing shoal does; dropped. */
const CREATE_KNOWN = new Set(['clusterName', 'tags', 'settings', 'configuration']);

export function clusterOps(d: EcsDeps): Operations {
  const describe = (r: EcsRefs, c: Cluster, tags: boolean): Obj => {
    const services = r.services(c.name);
    let running = 0;
    let pending = 0;
    for (const s of services) {
      const n = serviceCounts(r, s);
      running += n.running;
      pending += n.pending;
    }
    return withTags(describeCluster(r.arns, c, services, running, pending), tags);
  };

  return {
    async CreateCluster(input, ctx) {
      refuseOthers(input, CREATE_KNOWN, 'CreateCluster');
      const r = new EcsRefs(d, ctx.region);
      const name = input.clusterName ?? 'default';
      const existing = d.model.effective.clusters.find((c) => c.name === name);
      if (!existing || !d.model.get('clusters', name)) {
        await modelErrors(() => d.model.create('clusters', { name, tags: tagsIn(input.tags) }));
      }
      return { cluster: describe(r, r.cluster(name), true) };
    },

    DescribeClusters(input, ctx) {
      const r = new EcsRefs(d, ctx.region);
      const refs: string[] = input.clusters ?? ['default'];
      const tags = (input.include ?? []).includes('TAGS');
      const clusters: Obj[] = [];
      const failures: Obj[] = [];
      for (const ref of refs) {
        const c = d.model.effective.clusters.find((x) => x.name === clusterName(ref));
        if (c) clusters.push(describe(r, c, tags));
        else failures.push({ arn: ref.startsWith('arn:') ? ref : r.arns.cluster(ref), reason: 'MISSING' });
      }
      return { clusters, failures };
    },

    ListClusters(input, ctx) {
      const r = new EcsRefs(d, ctx.region);
      const p = pageOf(d.model.effective.clusters.map((c) => r.arns.cluster(c.name)), 'ListClusters', input);
      return { clusterArns: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) };
    },

    async DeleteCluster(input, ctx) {
      const r = new EcsRefs(d, ctx.region);
      const c = r.cluster(input.cluster);
      if (r.services(c.name).length > 0) {
        throw awsError('ClusterContainsServicesException', `The Cluster cannot be deleted while Services are active: ${r.services(c.name).map((s) => s.name).join(', ')} (DeleteService them first).`);
      }
      const out = { ...describe(r, c, true), status: 'INACTIVE' };
      await modelErrors(() => d.model.remove('clusters', c.name));
      return { cluster: out };
    },
  };
}
