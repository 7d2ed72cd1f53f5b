// Target group: every target with its state, reason and description (live); register and deregister.
import { enc, get, post } from '../api.js';
import { h, link, section, state, table } from '../dom.js';
import { action } from '../dialog.js';
import { metricCharts } from '../charts.js';
import type { PageContext } from '../router.js';
import type { Status, TargetHealthDescription } from '../types.js';

export async function targetGroup(c: PageContext): Promise<HTMLElement> {
  const name = c.params[0] ?? '';
  const [status, health] = await Promise.all([
    get<Status>('/_shoal/status'),
    get<{ targetHealthDescriptions: TargetHealthDescription[] }>(`/_shoal/target-groups/${enc(name)}/targets`),
  ]);
  const tg = status.targetGroups.find((g) => g.name === name);
  const owners = new Map<string, string>();
  for (const g of status.autoScalingGroups) for (const i of g.instances) if (i.target) owners.set(i.target, i.instanceId);
  const path = `/_shoal/target-groups/${enc(name)}`;
  const register = action('Register targets', () => ({
    title: `Register a target in ${name}`,
    fields: [{ name: 'id', label: 'IP address', type: 'text', value: '127.0.0.1' }, { name: 'port', label: 'Port', type: 'number', value: tg?.port ?? 80 }],
    confirm: 'Register',
    run: async (v) => {
      await post(`${path}/register`, { targets: [{ id: String(v.id), port: Number(v.port) }] });
      c.refresh();
    },
  }), { name: 'register' });
  const rows = health.targetHealthDescriptions.map((d) => {
    const key = d.target.port === undefined ? d.target.id : `${d.target.id}:${d.target.port}`;
    const instance = owners.get(key);
    return [
      key, instance ? link(instance, 'instance', instance) : '', d.target.availabilityZone ?? '', state(d.targetHealth.state),
      d.targetHealth.reason ?? '', d.targetHealth.description ?? '',
      action('Deregister', () => ({
        title: `Deregister ${key}?`,
        body: h('p', {}, `${key} stops getting new requests from ${name} and drains its open ones (deregistration delay).` +
          (instance ? ` Its Auto Scaling group may register it again.` : '')),
        confirm: 'Deregister', danger: true,
        run: async () => {
          await post(`${path}/deregister`, { targets: [{ id: d.target.id, ...(d.target.port !== undefined ? { port: d.target.port } : {}) }] });
          c.refresh();
        },
      }), { danger: true, name: 'deregister' }),
    ];
  });
  const healthy = health.targetHealthDescriptions.filter((d) => d.targetHealth.state === 'healthy').length;
  return h('div', {},
    h('h1', {}, 'Target group ', h('span', { class: 'name' }, name)),
    tg ? h('p', { class: 'muted' }, `${tg.protocol}:${tg.port} · defined by `, h('code', {}, tg.owner)) : null,
    section('Targets', h('p', { id: 'healthy-count' }, `${healthy} healthy of ${health.targetHealthDescriptions.length}`),
      h('div', { class: 'actions' }, register),
      table(['target', 'instance', 'zone', 'state', 'reason', 'description', ''], rows, { id: 'targets' })),
    section('Metrics', await metricCharts({ kind: 'tg', name })),
  );
}
