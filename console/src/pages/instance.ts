// Instance: details and the boot log (re-read on every change event, and every 2 s while the boot runs).
import { enc, get } from '../api.js';
import { h, link, section, state } from '../dom.js';
import type { PageContext } from '../router.js';

type Instance = Record<string, unknown> & { InstanceId: string; AutoScalingGroupName?: string };

let follow: number | undefined;

export async function instance(c: PageContext): Promise<HTMLElement> {
  const id = c.params[0] ?? '';
  const all = (await get<{ Instances: Instance[] }>('/_shoal/instances')).Instances;
  const i = all.find((x) => x.InstanceId === id);
  if (!i) return h('p', {}, `No instance ${id} (terminated instances leave the list). `, link('Overview'));
  const [boot, app] = await Promise.all([
    get<{ text: string; complete: boolean }>(`/_shoal/instances/${enc(id)}/logs/boot`).catch(() => ({ text: '', complete: true })),
    get<{ text: string; complete: boolean }>(`/_shoal/instances/${enc(id)}/logs/app`).catch(() => ({ text: '', complete: true })),
  ]);
  const fields = ['InstanceId', 'AutoScalingGroupName', 'AvailabilityZone', 'PrivateIpAddress', 'InstanceState', 'BootStatus', 'LifecycleState',
    'HealthStatus', 'ProtectedFromScaleIn', 'Target', 'TargetHealth', 'LaunchTime', 'CpuPercent', 'MemoryBytes', 'Reason'];
  const value = (k: string): HTMLElement | string => {
    const v = i[k];
    if (v === undefined || v === null) return '';
    if (k === 'AutoScalingGroupName') return link(String(v), 'asg', String(v));
    if (['InstanceState', 'LifecycleState', 'HealthStatus', 'BootStatus'].includes(k)) return state(String(v));
    if (k === 'CpuPercent' && typeof v === 'number') return `${v.toFixed(1)} %`;
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  // A boot log grows without a state change: while it is open, read it again every 2 s (this page only).
  if (!boot.complete) {
    window.clearTimeout(follow);
    follow = window.setTimeout(() => { if (location.hash === `#/instance/${encodeURIComponent(id)}`) c.refresh(); }, 2000);
  }
  const tail = (t: string): string => (t.length > 20_000 ? '…' + t.slice(-20_000) : t);
  return h('div', {},
    h('h1', {}, 'Instance ', h('span', { class: 'name' }, id)),
    h('dl', { class: 'details' }, fields.filter((k) => i[k] !== undefined).map((k) => [h('dt', {}, k), h('dd', {}, value(k))])),
    section('Boot log', h('pre', { class: 'log', id: 'boot-log' }, tail(boot.text) || '(empty)'), boot.complete ? null : h('p', { class: 'muted' }, 'still booting…')),
    section('Application log', h('pre', { class: 'log' }, tail(app.text) || '(empty)')),
  );
}
