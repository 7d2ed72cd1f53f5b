/** The Auto Scaling commands of `shoal` (all through the daemon's JSON API). */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Activity } from '../../controlplane/asg/types.js';
import { asJson, callApi, endpointOptions, resolveEndpoint, type EndpointOptions } from '../client.js';
import { downCommand } from './down.js';
import { activitiesText, groupText, instancesTable, type GroupDescription } from './format.js';
import { logsCommand } from './logs.js';
import { registerRefreshCommands } from './refresh.js';

const withEndpoint = endpointOptions;

const g = (name: string, rest = ''): string => `/_shoal/auto-scaling-groups/${encodeURIComponent(name)}${rest}`;
const post = (o: EndpointOptions, path: string, body: unknown = {}) => callApi<Record<string, unknown>>(resolveEndpoint(o), 'POST', path, body);
const getJson = <T>(o: EndpointOptions, path: string) => callApi<T>(resolveEndpoint(o), 'GET', path);

function envPairs(list: string[] = []): Record<string, string> {
  return Object.fromEntries(list.map((kv) => {
    const i = kv.indexOf('=');
    if (i < 1) throw new Error(`--env wants NAME=value (got ${kv})`);
    return [kv.slice(0, i), kv.slice(i + 1)];
  }));
}

export function registerAsgCommands(program: Command): void {
  const cmd = (spec: string, description: string): Command => withEndpoint(program.command(spec).description(description));

  cmd('describe [group]', 'an Auto Scaling group: capacity, instances (zone, ip, state, health, lifecycle) and why it is not at its desired capacity')
    .option('--json', 'the API answer as JSON')
    .action(async (name: string | undefined, o: EndpointOptions & { json?: boolean }) => {
      const groups = name ? [await getJson<GroupDescription>(o, g(name))]
        : (await getJson<{ AutoScalingGroups: GroupDescription[] }>(o, '/_shoal/auto-scaling-groups')).AutoScalingGroups;
      console.log(asJson(o) ? JSON.stringify(name ? groups[0] : groups, null, 2) : groups.map(groupText).join('\n\n') || 'no Auto Scaling groups');
    });

  cmd('activity <group>', 'the scaling activity history, newest first (describe-scaling-activities)')
    .option('--json', 'as JSON')
    .action(async (name: string, o: EndpointOptions & { json?: boolean }) => {
      const r = await getJson<{ Activities: Activity[] }>(o, g(name, '/activities'));
      console.log(asJson(o) ? JSON.stringify(r.Activities, null, 2) : activitiesText(r.Activities));
    });

  cmd('instances', 'every instance the provider knows, with its group').action(async (o: EndpointOptions) => {
    const r = await getJson<{ Instances: Parameters<typeof instancesTable>[0] }>(o, '/_shoal/instances');
    console.log(instancesTable(r.Instances, true));
  });

  cmd('logs <instanceId>', "an instance's app log, or its boot log (the boot script's output)")
    .option('--boot', 'the boot log (like cloud-init-output.log)')
    .option('--follow', 'keep printing as the log grows')
    .action((id: string, o) => logsCommand(id, o));

  cmd('set-desired-capacity <group> <n>', 'set the desired capacity').action(async (name: string, n: string, o: EndpointOptions) => {
    await post(o, g(name, '/desired-capacity'), { desiredCapacity: Number(n) });
    console.log(`${name}: desired capacity ${n}`);
  });

  cmd('update-auto-scaling-group <group>', 'change min, max and desired')
    .option('--min-size <n>').option('--max-size <n>').option('--desired-capacity <n>')
    .action(async (name: string, o: EndpointOptions & { minSize?: string; maxSize?: string; desiredCapacity?: string }) => {
      const num = (v?: string) => (v === undefined ? undefined : Number(v));
      await post(o, g(name, '/update'), { minSize: num(o.minSize), maxSize: num(o.maxSize), desiredCapacity: num(o.desiredCapacity) });
      console.log(`${name} updated`);
    });

  cmd('terminate-instance <instanceId>', 'terminate an instance of a group (terminate-instance-in-auto-scaling-group); the group replaces it unless --decrement')
    .option('--decrement', 'also lower the desired capacity by one (no replacement)')
    .action(async (id: string, o: EndpointOptions & { decrement?: boolean }) => {
      await post(o, `/_shoal/instances/${encodeURIComponent(id)}/terminate`, { shouldDecrementDesiredCapacity: o.decrement === true });
      console.log(`terminating ${id}: it drains from its target groups first${o.decrement ? '; desired capacity lowered by one' : '; the group launches a replacement'}`);
    });

  for (const [name, path, what] of [['enter-standby', 'enter-standby', 'move InService instances to Standby (out of the target groups, not counted)'],
    ['exit-standby', 'exit-standby', 'bring Standby instances back into service'],
    ['detach-instances', 'detach', 'remove instances from the group; they keep running'],
    ['attach-instances', 'attach', 'add running instances to the group']] as const) {
    const c = cmd(`${name} <group> <instanceIds...>`, what);
    if (name !== 'exit-standby' && name !== 'attach-instances') c.option('--decrement', 'lower the desired capacity instead of replacing them');
    c.action(async (group: string, ids: string[], o: EndpointOptions & { decrement?: boolean }) => {
      await post(o, g(group, `/${path}`), { instanceIds: ids, shouldDecrementDesiredCapacity: o.decrement === true });
      console.log(`${name}: ${ids.join(', ')}`);
    });
  }

  for (const what of ['suspend', 'resume'] as const) {
    cmd(`${what}-processes <group> [processes...]`, `${what} scaling processes (all when none named): Launch, Terminate, HealthCheck, ReplaceUnhealthy, AZRebalance, AddToLoadBalancer, ...`)
      .action(async (group: string, processes: string[], o: EndpointOptions) => {
        const r = await post(o, g(group, `/${what}-processes`), processes.length ? { scalingProcesses: processes } : {});
        console.log(`suspended processes of ${group}: ${(r.SuspendedProcesses as string[]).join(', ') || 'none'}`);
      });
  }

  cmd('set-instance-protection <group> <instanceIds...>', 'protect instances from scale-in (or --off)')
    .option('--off', 'remove the protection')
    .action(async (group: string, ids: string[], o: EndpointOptions & { off?: boolean }) => {
      await post(o, g(group, '/instance-protection'), { instanceIds: ids, protectedFromScaleIn: !o.off });
      console.log(`${o.off ? 'unprotected' : 'protected'}: ${ids.join(', ')}`);
    });

  for (const [name, path] of [['complete-lifecycle-action', 'complete-lifecycle-action'], ['record-lifecycle-action-heartbeat', 'record-lifecycle-action-heartbeat']] as const) {
    const c = cmd(`${name} <group>`, name === 'complete-lifecycle-action' ? 'end an instance\'s lifecycle hook wait' : 'restart the heartbeat timeout of a lifecycle hook wait')
      .requiredOption('--hook <name>', 'lifecycle hook name').option('--instance <id>', 'instance id').option('--token <token>', 'lifecycle action token');
    if (name === 'complete-lifecycle-action') c.option('--result <result>', 'CONTINUE or ABANDON', 'CONTINUE');
    c.action(async (group: string, o: EndpointOptions & { hook: string; instance?: string; token?: string; result?: string }) => {
      await post(o, g(group, `/${path}`), { lifecycleHookName: o.hook, instanceId: o.instance, lifecycleActionToken: o.token, lifecycleActionResult: o.result });
      console.log(`${name}: ${o.instance ?? o.token} ${o.result ?? ''}`.trim());
    });
  }

  cmd('create-image', "snapshot a running instance's directory into a new image (ami-...)")
    .requiredOption('--instance <id>').requiredOption('--name <name>')
    .action(async (o: EndpointOptions & { instance: string; name: string }) => {
      const r = await post(o, '/_shoal/images', { instanceId: o.instance, name: o.name });
      console.log(r.ImageId);
    });

  cmd('images', 'the registered images').action(async (o: EndpointOptions) => {
    const r = await getJson<{ Images: { imageId: string; name: string; location: string; source: string }[] }>(o, '/_shoal/images');
    for (const i of r.Images) console.log(`${i.imageId}  ${i.name}  ${i.location}  (${i.source})`);
  });

  cmd('launch-templates', 'launch templates and their versions').action(async (o: EndpointOptions) => {
    const r = await getJson<{ LaunchTemplates: { name: string; defaultVersion: number; versions: { versionNumber: number; source: string; data: { imageId: string; instanceType: string } }[] }[] }>(o, '/_shoal/launch-templates');
    for (const t of r.LaunchTemplates) {
      console.log(`${t.name} (default version ${t.defaultVersion}, latest ${Math.max(...t.versions.map((v) => v.versionNumber))})`);
      for (const v of t.versions) console.log(`  ${v.versionNumber}  ${v.data.imageId}  ${v.data.instanceType}  (${v.source})`);
    }
  });

  cmd('create-launch-template-version <template>', 'a new version: a copy of --source-version (default $Latest) with the given changes')
    .option('--source-version <v>').option('--image-id <ami-or-dir>').option('--instance-type <type>')
    .option('--user-data-file <file>', 'boot script').option('--env <NAME=value...>', 'environment (replaces the source version\'s)')
    .option('--description <text>').option('--set-default', 'make it the default version')
    .action(async (name: string, o: EndpointOptions & { sourceVersion?: string; imageId?: string; instanceType?: string; userDataFile?: string; env?: string[]; description?: string; setDefault?: boolean }) => {
      const data: Record<string, unknown> = {};
      if (o.imageId) data.imageId = o.imageId.startsWith('ami-') ? o.imageId : (await import('node:path')).resolve(o.imageId);
      if (o.instanceType) data.instanceType = o.instanceType;
      if (o.userDataFile) data.userData = readFileSync(o.userDataFile, 'utf8');
      if (o.env) data.environment = envPairs(o.env);
      const r = await post(o, `/_shoal/launch-templates/${encodeURIComponent(name)}/versions`, {
        launchTemplateData: data, sourceVersion: o.sourceVersion, versionDescription: o.description, setDefault: o.setDefault === true,
      });
      console.log(`${name} version ${(r.LaunchTemplateVersion as { versionNumber: number }).versionNumber}`);
    });

  registerRefreshCommands(cmd);

  cmd('down', 'terminate every instance (and stop the daemon if it runs); `shoal up` leaves instances running on Ctrl-C')
    .action((o: EndpointOptions) => downCommand(o));
}
