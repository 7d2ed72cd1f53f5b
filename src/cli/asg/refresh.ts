/** Instance refresh and warm pool commands of `shoal` (through the daemon's JSON API). */
import type { Command } from 'commander';
import { asJson, callApi, resolveEndpoint, type EndpointOptions } from '../client.js';
import { formatTable } from '../table.js';
import { instancesTable } from './format.js';
import type { InstanceView } from '../../controlplane/asg/describe.js';

const g = (name: string, rest = ''): string => `/_shoal/auto-scaling-groups/${encodeURIComponent(name)}${rest}`;
const post = (o: EndpointOptions, path: string, body: unknown = {}) => callApi<Record<string, unknown>>(resolveEndpoint(o), 'POST', path, body);
const getJson = <T>(o: EndpointOptions, path: string) => callApi<T>(resolveEndpoint(o), 'GET', path);
const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

interface RefreshView {
  InstanceRefreshId: string; Status: string; StatusReason?: string; StartTime: string; EndTime?: string;
  PercentageComplete: number; InstancesToUpdate: number;
  DesiredConfiguration?: { LaunchTemplate: { LaunchTemplateName: string; Version: string } };
}

export function refreshesText(list: RefreshView[]): string {
  if (list.length === 0) return 'no instance refreshes';
  return formatTable(['ID', 'STATUS', 'DONE', 'TO UPDATE', 'TARGET', 'STARTED', 'ENDED', 'REASON'], list.map((r) => [
    r.InstanceRefreshId, r.Status, `${r.PercentageComplete}%`, String(r.InstancesToUpdate),
    r.DesiredConfiguration ? `${r.DesiredConfiguration.LaunchTemplate.LaunchTemplateName}:${r.DesiredConfiguration.LaunchTemplate.Version}` : '(group template)',
    r.StartTime, r.EndTime ?? '-', r.StatusReason ?? '',
  ]));
}

export function registerRefreshCommands(cmd: (spec: string, description: string) => Command): void {
  cmd('start-instance-refresh <group>', 'replace the group\'s instances in batches (StartInstanceRefresh)')
    .option('--min-healthy <percent>', 'MinHealthyPercentage (default 90)')
    .option('--max-healthy <percent>', 'MaxHealthyPercentage (default 100; above 100 launches before terminating)')
    .option('--warmup <seconds>', 'InstanceWarmup (default: the health check grace period)')
    .option('--checkpoints <percents>', 'CheckpointPercentages, comma separated (e.g. 50,100)')
    .option('--checkpoint-delay <seconds>', 'CheckpointDelay (default 3600)')
    .option('--skip-matching', 'skip instances already on the desired launch template version')
    .option('--template-version <n>', 'DesiredConfiguration: launch template version ($Latest, $Default or a number)')
    .option('--template <name>', 'DesiredConfiguration: launch template name (default: the group\'s)')
    .option('--auto-rollback', 'roll back on failure or when an alarm goes to ALARM')
    .option('--alarms <names>', 'AlarmSpecification: alarm names, comma separated')
    .action(async (name: string, o: EndpointOptions & Record<string, string | boolean | undefined>) => {
      const s = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
      const version = s('templateVersion');
      const r = await post(o, g(name, '/instance-refreshes'), {
        preferences: {
          minHealthyPercentage: num(s('minHealthy')), maxHealthyPercentage: num(s('maxHealthy')), instanceWarmup: num(s('warmup')),
          checkpointPercentages: s('checkpoints')?.split(',').map(Number), checkpointDelay: num(s('checkpointDelay')),
          skipMatching: o.skipMatching === true ? true : undefined, autoRollback: o.autoRollback === true ? true : undefined,
          alarmSpecification: s('alarms') ? { alarms: s('alarms')!.split(',') } : undefined,
        },
        desiredConfiguration: version || s('template') ? { launchTemplate: { launchTemplateName: s('template'), version: version && /^\d+$/.test(version) ? Number(version) : version } } : undefined,
      });
      console.log(`instance refresh ${String(r.InstanceRefreshId)} started; follow it with: shoal describe-instance-refreshes ${name}`);
    });

  cmd('describe-instance-refreshes <group>', 'instance refreshes of a group, newest first, with progress and status reason')
    .option('--json', 'as JSON')
    .action(async (name: string, o: EndpointOptions & { json?: boolean }) => {
      const r = await getJson<{ InstanceRefreshes: RefreshView[] }>(o, g(name, '/instance-refreshes'));
      console.log(asJson(o) ? JSON.stringify(r.InstanceRefreshes, null, 2) : refreshesText(r.InstanceRefreshes));
    });

  for (const [what, help] of [['cancel', 'stop the active refresh after the batch in flight (replaced instances stay)'], ['rollback', 'move replaced instances back to the previous launch template version']] as const) {
    cmd(`${what}-instance-refresh <group>`, help).action(async (name: string, o: EndpointOptions) => {
      const r = await post(o, g(name, `/instance-refreshes/${what}`));
      console.log(`${what === 'cancel' ? 'cancelling' : 'rolling back'} instance refresh ${String(r.InstanceRefreshId)}`);
    });
  }

  cmd('put-warm-pool <group>', 'create or change the group\'s warm pool of pre-booted instances (PutWarmPool)')
    .option('--min-size <n>', 'MinSize (default 0)')
    .option('--max-group-prepared-capacity <n>', 'group capacity plus pool (default: the group\'s max size)')
    .option('--pool-state <state>', 'Stopped (frozen, default) or Running')
    .option('--reuse-on-scale-in', 'scale-in returns instances to the pool instead of terminating them')
    .action(async (name: string, o: EndpointOptions & { minSize?: string; maxGroupPreparedCapacity?: string; poolState?: string; reuseOnScaleIn?: boolean }) => {
      await post(o, g(name, '/warm-pool'), {
        minSize: num(o.minSize), maxGroupPreparedCapacity: num(o.maxGroupPreparedCapacity), poolState: o.poolState,
        instanceReusePolicy: o.reuseOnScaleIn ? { reuseOnScaleIn: true } : undefined,
      });
      console.log(`${name}: warm pool set`);
    });

  cmd('describe-warm-pool <group>', 'the warm pool\'s settings and instances').option('--json', 'as JSON')
    .action(async (name: string, o: EndpointOptions & { json?: boolean }) => {
      const r = await getJson<{ WarmPoolConfiguration?: Record<string, unknown>; Instances: InstanceView[] }>(o, g(name, '/warm-pool'));
      if (asJson(o)) return console.log(JSON.stringify(r, null, 2));
      console.log(r.WarmPoolConfiguration ? `warm pool: ${JSON.stringify(r.WarmPoolConfiguration)}` : 'no warm pool');
      console.log(instancesTable(r.Instances));
    });

  cmd('delete-warm-pool <group>', 'terminate the warm pool\'s instances and remove it').action(async (name: string, o: EndpointOptions) => {
    await post(o, g(name, '/warm-pool/delete'));
    console.log(`${name}: warm pool being deleted`);
  });
}
