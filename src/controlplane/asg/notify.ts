/**
 * A lifecycle hook's notification as a local command (shoal's stand-in for the
 * SNS/SQS/EventBridge target of a hook): `sh -c notificationCommand`, with the
 * notification's fields in its environment. It may finish the action itself
 * with `shoal complete-lifecycle-action`. Its output goes to the daemon's log.
 */
import { spawn } from 'node:child_process';
import { errorMessage } from '../../core/errors.js';
import type { AutoScalingGroup } from '../../model/auto-scaling.js';
import type { ControllerDeps } from './deps.js';
import { hookConfigs } from './hooks.js';
import type { InstanceRecord } from './types.js';

export function runNotification(d: Pick<ControllerDeps, 'log'>, spec: AutoScalingGroup, r: InstanceRecord): void {
  const w = r.wait;
  const command = w && hookConfigs(spec).find((h) => h.name === w.hook)?.notificationCommand;
  if (!w || !command) return;
  const env = {
    ...process.env,
    AUTO_SCALING_GROUP_NAME: spec.name,
    LIFECYCLE_HOOK_NAME: w.hook,
    LIFECYCLE_TRANSITION: w.transition,
    LIFECYCLE_ACTION_TOKEN: w.token,
    EC2_INSTANCE_ID: r.instanceId,
    INSTANCE_ID: r.instanceId,
    PRIVATE_IP: r.target?.id ?? '',
  };
  try {
    const child = spawn('sh', ['-c', command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', (err) => d.log.warn({ hook: w.hook, err: errorMessage(err) }, 'lifecycle notification command failed to start'));
    child.on('exit', (code) => d.log.info({ hook: w.hook, instanceId: r.instanceId, code, output: out.slice(-2000) }, 'lifecycle notification command ended'));
  } catch (err) {
    d.log.warn({ hook: w.hook, err: errorMessage(err) }, 'lifecycle notification command failed to start');
  }
}
