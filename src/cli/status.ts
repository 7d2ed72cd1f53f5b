/**
 * `shoal status`: the fleet as a tree, from GET /_shoal/status
 * (controlplane/status.ts), or that answer as JSON with --output json.
 *
 *   load balancer web (shoal.yaml:3)
 *   └─ HTTP 127.0.0.1:8080
 *      ├─ 10       path-pattern /api/*  -> forward to api
 *      └─ default  anything else        -> forward to app
 */
import type { StatusTree } from '../controlplane/status.js';
import { asJson, callApi, resolveEndpoint, type EndpointOptions } from './client.js';

export async function statusCommand(o: EndpointOptions): Promise<void> {
  const tree = await callApi<StatusTree>(resolveEndpoint(o), 'GET', '/_shoal/status');
  console.log(asJson(o) ? JSON.stringify(tree, null, 2) : statusText(tree));
}

/** Children under a parent line: "├─ " for all but the last, "└─ " for it; their own children indented to match. */
function branch(items: string[][], indent = ''): string[] {
  const out: string[] = [];
  items.forEach((lines, i) => {
    const last = i === items.length - 1;
    lines.forEach((line, j) => out.push(j === 0 ? `${indent}${last ? '└─ ' : '├─ '}${line}` : `${indent}${last ? '   ' : '│  '}${line}`));
  });
  return out;
}

export function statusText(t: StatusTree): string {
  const out: string[] = [];
  for (const lb of t.loadBalancers) {
    out.push(`load balancer ${lb.name} (${lb.type}; ${lb.owner})`);
    out.push(...branch(lb.listeners.map((l) => {
      const width = Math.max(...l.rules.map((r) => r.matches.length));
      return [`${l.protocol} ${l.address}`, ...branch(l.rules.map((r) => [`${String(r.priority).padEnd(8)} ${r.matches.padEnd(width)}  -> ${r.action}`]))];
    })));
  }
  for (const g of t.targetGroups) {
    out.push(`target group ${g.name} (${g.protocol}:${g.port}; ${g.owner})`);
    out.push(...(g.targets.length === 0 ? ['└─ no targets registered'] : branch(g.targets.map((x) => [`${x.target}  ${x.state}${x.reason ? `  ${x.reason}` : ''}${x.description ? `: ${x.description}` : ''}`]))));
  }
  for (const g of t.autoScalingGroups) {
    out.push(`Auto Scaling group ${g.name} (${g.owner}): ${g.inService} InService, desired ${g.desiredCapacity} (min ${g.minSize}, max ${g.maxSize})`);
    const zones = [...new Set(g.instances.map((i) => i.zone))];
    const items = zones.map((z) => [z, ...branch(g.instances.filter((i) => i.zone === z).map((i) =>
      [`${i.instanceId}  ${i.lifecycleState}  ${i.healthStatus}${i.target ? `  ${i.target}` : ''}${i.targetHealth ? `  ${i.targetHealth}` : ''}`]))]);
    out.push(...branch([...items, ...g.status.map((s) => [`! ${s}`])]));
  }
  out.push('zones');
  out.push(...branch(t.zones.map((z) => [`${z.name}  ${z.subnetId}  ${z.cidr}  ${z.instances} instance${z.instances === 1 ? '' : 's'}`])));
  return out.join('\n');
}
