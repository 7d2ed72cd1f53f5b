// Overview: every load balancer, target group, Auto Scaling group and alarm with its state.
import { ApiError, get, post } from '../api.js';
import { h, link, section, state, table } from '../dom.js';
import { action } from '../dialog.js';
import type { PageContext } from '../router.js';
import type { Alarm, LaunchTemplate, Status } from '../types.js';
import { createAutoScalingGroup, createTemplateVersion } from './create.js';

/** Launch templates, or none when the daemon runs no Auto Scaling (it answers ValidationError). */
async function launchTemplates(): Promise<LaunchTemplate[]> {
  try {
    return (await get<{ LaunchTemplates: LaunchTemplate[] }>('/_shoal/launch-templates')).LaunchTemplates;
  } catch (err) {
    if (err instanceof ApiError && err.code === 'ValidationError') return [];
    throw err;
  }
}

/** AWS console's "Create target group" with its defaults (HTTP:80, health check on / every 30 s). */
function createTargetGroup(c: PageContext): HTMLElement {
  return action('Create target group', () => ({
    title: 'Create a target group',
    body: h('p', { class: 'muted' }, 'Made through the API (not the config file); register targets on its page, or name it in an Auto Scaling group.'),
    fields: [
      { name: 'name', label: 'Target group name', type: 'text', value: '' },
      { name: 'protocol', label: 'Protocol', type: 'select', value: 'HTTP', options: ['HTTP', 'HTTPS', 'TCP'] },
      { name: 'port', label: 'Port', type: 'number', value: 80 },
      { name: 'path', label: 'Health check path', type: 'text', value: '/' },
      { name: 'interval', label: 'Health check interval (seconds)', type: 'number', value: 30 },
    ],
    confirm: 'Create target group',
    run: async (v) => {
      const tcp = v.protocol === 'TCP';
      await post('/_shoal/target-groups', {
        name: v.name, protocol: v.protocol, port: Number(v.port),
        healthCheck: { ...(tcp ? { protocol: 'TCP' } : { path: v.path }), intervalSeconds: Number(v.interval) },
      });
      location.hash = `#/tg/${encodeURIComponent(String(v.name))}`;
      c.refresh();
    },
  }), { name: 'create-target-group' });
}

/** One word for a group's targets: healthy when all are, unhealthy when any is, else the state they are passing through. */
function groupHealth(states: readonly string[]): string {
  if (states.length === 0) return '';
  if (states.every((s) => s === 'healthy')) return 'healthy';
  if (states.includes('unhealthy')) return 'unhealthy';
  return states.find((s) => s !== 'healthy') ?? '';
}

export async function overview(c: PageContext): Promise<HTMLElement> {
  const [status, alarms, templates] = await Promise.all([get<Status>('/_shoal/status'), get<{ MetricAlarms: Alarm[] }>('/_shoal/alarms'), launchTemplates()]);
  return h('div', {},
    h('h1', {}, 'Overview'),
    section('Load balancers', table(['name', 'type', 'listeners', 'defined by'], status.loadBalancers.map((lb) => [
      link(lb.name, 'lb', lb.name), lb.type, lb.listeners.map((l) => `${l.protocol} ${l.address}`).join(', '), h('code', {}, lb.owner)]))),
    section('Target groups', table(['name', 'protocol:port', 'targets', 'healthy', 'defined by'], status.targetGroups.map((g) => [
      link(g.name, 'tg', g.name), `${g.protocol}:${g.port}`, g.targets.length,
      h('span', {}, state(groupHealth(g.targets.map((t) => t.state))), ' ', `${g.targets.filter((t) => t.state === 'healthy').length} of ${g.targets.length}`),
      h('code', {}, g.owner)]), { id: 'overview-target-groups' }), h('div', { class: 'actions' }, createTargetGroup(c))),
    section('Auto Scaling groups', table(['name', 'min', 'desired', 'max', 'in service', 'status', 'defined by'], status.autoScalingGroups.map((g) => [
      link(g.name, 'asg', g.name), g.minSize, g.desiredCapacity, g.maxSize,
      h('span', { class: 'in-service' }, state(g.inService === g.desiredCapacity ? 'InService' : 'Pending'), ' ', String(g.inService)),
      g.status.join('; '), h('code', {}, g.owner)]), { id: 'overview-groups' }),
      templates.length ? h('div', { class: 'actions' }, createAutoScalingGroup(c, status, templates)) : null),
    templates.length ? section('Launch templates', table(['name', 'id', 'default version', 'latest version', 'image', 'instance type', ''], templates.map((t) => {
      const latest = t.versions.reduce((a, b) => (b.versionNumber > a.versionNumber ? b : a));
      return [t.name, t.launchTemplateId, t.defaultVersion, h('span', {}, String(latest.versionNumber), latest.description ? ` (${latest.description})` : ''),
        latest.data.imageId, latest.data.instanceType, createTemplateVersion(c, t)];
    }), { id: 'overview-launch-templates' })) : null,
    section('Alarms', table(['name', 'state', 'metric', 'threshold'], alarms.MetricAlarms.map((a) => [
      link(a.AlarmName, 'alarms'), state(a.StateValue), `${a.Namespace} ${a.MetricName}`, `${a.ComparisonOperator} ${a.Threshold}`]))),
  );
}
