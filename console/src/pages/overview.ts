// Overview: every load balancer, target group, Auto Scaling group and alarm with its state.
import { get } from '../api.js';
import { h, link, section, state, table } from '../dom.js';
import type { PageContext } from '../router.js';
import type { Alarm, Status } from '../types.js';

export async function overview(_c: PageContext): Promise<HTMLElement> {
  const [status, alarms] = await Promise.all([get<Status>('/_shoal/status'), get<{ MetricAlarms: Alarm[] }>('/_shoal/alarms')]);
  return h('div', {},
    h('h1', {}, 'Overview'),
    section('Load balancers', table(['name', 'type', 'listeners', 'defined by'], status.loadBalancers.map((lb) => [
      link(lb.name, 'lb', lb.name), lb.type, lb.listeners.map((l) => `${l.protocol} ${l.address}`).join(', '), h('code', {}, lb.owner)]))),
    section('Target groups', table(['name', 'protocol:port', 'targets', 'healthy', 'defined by'], status.targetGroups.map((g) => [
      link(g.name, 'tg', g.name), `${g.protocol}:${g.port}`, g.targets.length,
      h('span', {}, state(g.targets.filter((t) => t.state === 'healthy').length === g.targets.length && g.targets.length > 0 ? 'healthy' : g.targets.length === 0 ? '' : 'initial'),
        ' ', `${g.targets.filter((t) => t.state === 'healthy').length} of ${g.targets.length}`),
      h('code', {}, g.owner)]), { id: 'overview-target-groups' })),
    section('Auto Scaling groups', table(['name', 'min', 'desired', 'max', 'in service', 'status', 'defined by'], status.autoScalingGroups.map((g) => [
      link(g.name, 'asg', g.name), g.minSize, g.desiredCapacity, g.maxSize,
      h('span', { class: 'in-service' }, state(g.inService === g.desiredCapacity ? 'InService' : 'Pending'), ' ', String(g.inService)),
      g.status.join('; '), h('code', {}, g.owner)]), { id: 'overview-groups' })),
    section('Alarms', table(['name', 'state', 'metric', 'threshold'], alarms.MetricAlarms.map((a) => [
      link(a.AlarmName, 'alarms'), state(a.StateValue), `${a.Namespace} ${a.MetricName}`, `${a.ComparisonOperator} ${a.Threshold}`]))),
  );
}
