/**
 * Cross-references of the ECS sections, on the raw data (as references.ts):
 * unique names, a service's cluster, task definition revision, target groups
 * and container, a cluster's zones (Docker engines), and the names the
 * services' internal groups take.
 */
import { serviceGroupName } from '../model/ecs.js';
import type { IssuePath, RawIssue } from './issues.js';
import { parseTaskDefinitionRef } from './schema-ecs.js';
import { suggest } from './suggest.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const items = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function unique(data: Obj, list: string, key: string, noun: string, issues: RawIssue[]): Map<string, Obj> {
  const seen = new Map<string, { at: number; item: Obj }>();
  items(data[list]).forEach((item, i) => {
    const name = isObj(item) ? text(item[key]) : undefined;
    if (name === undefined) return;
    const first = seen.get(name);
    if (first) issues.push({ path: [list, i, key], message: `${noun} "${name}" is already defined at ${list}[${first.at}]; names must be unique` });
    else seen.set(name, { at: i, item: item as Obj });
  });
  return new Map([...seen].map(([k, v]) => [k, v.item]));
}

function missing(noun: string, name: string, known: Iterable<string>, list: string): string {
  const all = [...known];
  const hint = suggest(name, all);
  const nouns = noun.endsWith('family') ? noun.replace(/family$/, 'families') : `${noun}s`;
  return `${noun} "${name}" is not defined${hint ? ` (did you mean "${hint}"?)` : ''}; ${all.length > 0 ? `defined ${nouns}: ${all.join(', ')}` : `no ${nouns} are defined under ${list}`}`;
}

export function checkEcsReferences(data: Obj, tgNames: Set<string>, issues: RawIssue[]): void {
  const clusters = unique(data, 'clusters', 'name', 'cluster', issues);
  const families = unique(data, 'taskDefinitions', 'family', 'task definition family', issues);
  unique(data, 'services', 'name', 'service', issues);
  const dockerZones = new Set(items(data.zones).filter((z) => isObj(z) && isObj(z.docker)).map((z) => text((z as Obj).name)).filter((n) => n !== undefined));
  items(data.clusters).forEach((c, i) => {
    if (!isObj(c)) return;
    items(c.availabilityZones).forEach((z, j) => {
      const n = text(z);
      if (n !== undefined && !dockerZones.has(n)) {
        issues.push({ path: ['clusters', i, 'availabilityZones', j], message: `zone "${n}" has no Docker engine; a cluster's tasks run as containers, so its zones need zones[].docker (zones with an engine: ${[...dockerZones].join(', ') || 'none'})` });
      }
    });
  });
  const taken = new Set([...items(data.launchTemplates), ...items(data.autoScalingGroups)].map((x) => (isObj(x) ? text(x.name) : undefined)));
  items(data.services).forEach((s, i) => {
    if (!isObj(s)) return;
    const path: IssuePath = ['services', i];
    const clusterName = text(s.cluster) ?? 'default';
    const cluster = clusters.get(clusterName);
    if (!cluster && clusterName !== 'default') issues.push({ path: [...path, 'cluster'], message: missing('cluster', clusterName, clusters.keys(), 'clusters') });
    if (cluster && cluster.availabilityZones === undefined && dockerZones.size === 0) {
      issues.push({ path: [...path, 'cluster'], message: `cluster "${clusterName}" runs its tasks in the zones with a Docker engine, and no zone has one: add zones[].docker, or give the cluster availabilityZones` });
    }
    if (!cluster && clusterName === 'default' && dockerZones.size === 0) {
      issues.push({ path: [...path, 'cluster'], message: 'the default cluster runs its tasks in the zones with a Docker engine, and no zone has one: add zones[].docker, or a cluster with availabilityZones' });
    }
    const name = text(s.name);
    if (name !== undefined && taken.has(serviceGroupName(clusterName, name))) {
      issues.push({ path: [...path, 'name'], message: `the service's tasks run in a group named "${serviceGroupName(clusterName, name)}", and a launch template or Auto Scaling group already has that name` });
    }
    const ref = parseTaskDefinitionRef(s.taskDefinition);
    if (!ref) return;
    const family = families.get(ref.family);
    if (!family) {
      issues.push({ path: [...path, 'taskDefinition'], message: missing('task definition family', ref.family, families.keys(), 'taskDefinitions') });
      return;
    }
    const revisions = items(family.revisions);
    const active = revisions.map((r, k) => (isObj(r) && r.status !== 'INACTIVE' ? k + 1 : 0)).filter((k) => k > 0);
    if (ref.revision !== undefined && ref.revision > revisions.length) {
      issues.push({ path: [...path, 'taskDefinition'], message: `${ref.family} has ${revisions.length} revision${revisions.length === 1 ? '' : 's'} (got revision ${ref.revision})` });
      return;
    }
    if (ref.revision === undefined && active.length === 0) {
      issues.push({ path: [...path, 'taskDefinition'], message: `${ref.family} has no ACTIVE revision; name one (${ref.family}:N)` });
      return;
    }
    const rev = revisions[(ref.revision ?? active[active.length - 1]!) - 1];
    const container = isObj(rev) ? items(rev.containerDefinitions)[0] : undefined;
    items(s.loadBalancers).forEach((lb, j) => {
      if (!isObj(lb)) return;
      const tg = text(lb.targetGroup);
      if (tg !== undefined && !tgNames.has(tg)) issues.push({ path: [...path, 'loadBalancers', j, 'targetGroup'], message: missing('target group', tg, tgNames, 'targetGroups') });
      if (!isObj(container)) return;
      const cname = text(lb.containerName);
      if (cname !== undefined && cname !== container.name) {
        issues.push({ path: [...path, 'loadBalancers', j, 'containerName'], message: `the task definition's container is "${String(container.name)}" (got "${cname}")` });
        return;
      }
      const ports = items(container.portMappings).map((p) => (isObj(p) ? p.containerPort : undefined));
      if (typeof lb.containerPort === 'number' && !ports.includes(lb.containerPort)) {
        issues.push({ path: [...path, 'loadBalancers', j, 'containerPort'], message: `container "${cname}" maps no such port: its portMappings have containerPort ${ports.join(', ') || '(none)'} (got ${lb.containerPort})` });
      }
    });
  });
}
