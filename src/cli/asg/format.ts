/** Text output of the Auto Scaling commands (pure, so it is testable without a daemon). */
import { formatTable } from '../table.js';
import type { Activity } from '../../controlplane/asg/types.js';
import type { InstanceView } from '../../controlplane/asg/describe.js';

export interface GroupDescription {
  AutoScalingGroupName: string;
  MinSize: number;
  MaxSize: number;
  DesiredCapacity: number;
  AvailabilityZones: string[];
  TargetGroupNames: string[];
  HealthCheckType: string;
  HealthCheckGracePeriod: number;
  TerminationPolicies: string[];
  LaunchTemplate: { LaunchTemplateName: string; Version: string; ResolvedVersion?: number };
  SuspendedProcesses: { ProcessName: string }[];
  Instances: InstanceView[];
  Status: string[];
  WarmPoolConfiguration?: { MinSize: number; MaxGroupPreparedCapacity: number; PoolState: string; InstanceReusePolicy: { ReuseOnScaleIn: boolean }; Status?: string };
  WarmPoolSize?: number;
  WarmPoolInstances?: InstanceView[];
}

export function groupText(g: GroupDescription): string {
  const lines = [
    `Auto Scaling group ${g.AutoScalingGroupName}`,
    `  capacity      min ${g.MinSize}  desired ${g.DesiredCapacity}  max ${g.MaxSize}`,
    `  zones         ${g.AvailabilityZones.join(', ')}`,
    `  template      ${g.LaunchTemplate.LaunchTemplateName} ${g.LaunchTemplate.Version}${g.LaunchTemplate.ResolvedVersion !== undefined ? ` (version ${g.LaunchTemplate.ResolvedVersion})` : ''}`,
    `  health check  ${g.HealthCheckType}, grace ${g.HealthCheckGracePeriod} s; target groups: ${g.TargetGroupNames.join(', ') || 'none'}`,
    `  termination   ${g.TerminationPolicies.join(', ')}`,
  ];
  const w = g.WarmPoolConfiguration;
  if (w) {
    const prepared = w.MaxGroupPreparedCapacity < 0 ? 'max size' : String(w.MaxGroupPreparedCapacity);
    lines.push(`  warm pool     size ${g.WarmPoolSize ?? '-'} (min ${w.MinSize}, prepared capacity ${prepared}), ${w.PoolState}${w.InstanceReusePolicy.ReuseOnScaleIn ? ', reuse on scale-in' : ''}${w.Status ? ` (${w.Status})` : ''}`);
  }
  for (const s of g.Status) lines.push(`  ! ${s}`);
  lines.push('', instancesTable(g.Instances));
  if (w || (g.WarmPoolInstances ?? []).length > 0) lines.push('', 'Warm pool:', instancesTable(g.WarmPoolInstances ?? []));
  return lines.join('\n');
}

export function instancesTable(list: (InstanceView & { AutoScalingGroupName?: string })[], withGroup = false): string {
  if (list.length === 0) return 'no instances';
  const head = ['INSTANCE', 'ZONE', 'IP', 'STATE', 'LIFECYCLE', 'HEALTH', 'TARGET HEALTH', 'VERSION', 'PROTECTED', 'REASON'];
  return formatTable(withGroup ? ['GROUP', ...head] : head, list.map((i) => {
    const row = [
      i.InstanceId, i.AvailabilityZone, i.PrivateIpAddress ?? '-', i.InstanceState ?? '-', i.LifecycleState ?? '-',
      i.HealthStatus ?? '-', i.TargetHealth ?? '-', i.LaunchTemplate?.Version ?? '-', i.ProtectedFromScaleIn ? 'yes' : 'no', i.Reason ?? '',
    ];
    return withGroup ? [i.AutoScalingGroupName ?? '-', ...row] : row;
  }));
}

export function activitiesText(list: Activity[]): string {
  if (list.length === 0) return 'no activities yet';
  return list.map((a) => {
    const lines = [`${a.StartTime}  ${a.StatusCode.padEnd(10)} ${a.Description}`, `    Cause: ${a.Cause}`];
    if (a.StatusMessage) lines.push(`    Status: ${a.StatusMessage}`);
    if (a.Details) lines.push(`    Details: ${Object.entries(a.Details).map(([k, v]) => `${k}: ${v}`).join('; ')}`);
    if (a.EndTime && a.EndTime !== a.StartTime) lines.push(`    Ended: ${a.EndTime}`);
    return lines.join('\n');
  }).join('\n');
}
