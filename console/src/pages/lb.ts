// Load balancer: listeners and their rules in priority order, the target groups they forward to, live charts.
import { get } from '../api.js';
import { h, link, section, table } from '../dom.js';
import { metricCharts } from '../charts.js';
import { ruleTester } from './rule-tester.js';
import type { PageContext } from '../router.js';
import type { Status } from '../types.js';

export async function loadBalancer(c: PageContext): Promise<HTMLElement> {
  const name = c.params[0] ?? '';
  const status = await get<Status>('/_shoal/status');
  const lb = status.loadBalancers.find((l) => l.name === name);
  if (!lb) return h('p', {}, `No load balancer named ${name}. `, link('Overview'));
  const groups = new Set<string>();
  for (const l of lb.listeners) for (const r of l.rules) for (const m of r.action.matchAll(/forward to ([^\s,(]+)/g)) groups.add(m[1]!);
  for (const l of lb.listeners) for (const r of l.rules) for (const m of r.action.matchAll(/, ([^\s,(]+) \(weight/g)) groups.add(m[1]!);
  return h('div', {},
    h('h1', {}, 'Load balancer ', h('span', { class: 'name' }, lb.name)),
    h('p', { class: 'muted' }, `${lb.type} · defined by `, h('code', {}, lb.owner)),
    lb.listeners.map((l) => section(`Listener ${l.protocol} ${l.address}`,
      table(['priority', 'matches', 'then'], l.rules.map((r) => [String(r.priority), r.matches, r.action]), { class: 'rules' }))),
    section('Test a request', ruleTester(lb.name)),
    section('Target groups', h('ul', {}, [...groups].map((g) => h('li', {}, link(g, 'tg', g))))),
    section('Metrics', await metricCharts({ kind: 'lb', name: lb.name })),
  );
}
