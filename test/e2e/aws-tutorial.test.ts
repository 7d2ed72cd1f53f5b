/**
 * The tutorials' AWS CLI sequence, typed into Debian's AWS CLI v2 against a
 * daemon that starts with nothing but the API: subnets, a target group with a
 * health check path, a load balancer on two subnets, a listener, a launch
 * template with base64 user data, an Auto Scaling group behind the target
 * group with ELB health checks, a target tracking policy. Then the load
 * balancer's DNS name is answered by the group's real instances, they show
 * healthy, and terminating one brings a replacement.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/log.js';
import { seededRandom } from '../../src/core/random.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { freePort } from '../support/backends.js';
import { awsCli } from '../support/aws.js';
import { sweep, waitFor } from './asg-support.js';

const run = promisify(execFile);

async function curl(url: string): Promise<string> {
  const { stdout } = await run('curl', ['-s', '--max-time', '5', url]);
  return stdout;
}

test('the tutorial with the AWS CLI: target group, ALB, listener, launch template, group with ELB health, target tracking, self-healing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-tutorial-'));
  const configPath = join(dir, 'shoal.yaml');
  writeFileSync(configPath, `api: { listen: 127.0.0.1:${await freePort()} }\nstateDir: ${join(dir, 'state')}\n`);
  const daemon = await Daemon.start({
    configPath, clock: systemClock, random: seededRandom(process.pid), log: silentLogger, workers: 0,
    autoScaling: { metadata: { host: '127.0.0.1', port: 0 }, stopTimeoutMs: 3000, intervalMs: 250 },
  });
  t.after(async () => {
    await daemon.control.autoScalingService?.terminateAll(3000);
    await daemon.stop(2000);
    await sweep(join(dir, 'state'));
    rmSync(dir, { recursive: true, force: true });
  });
  const aws = (...args: string[]) => awsCli(daemon, args);
  assert.equal(daemon.control.autoScalingService, undefined, 'an API-only daemon starts with no groups');

  const subnets = (await aws('ec2', 'describe-subnets')).Subnets as { SubnetId: string; VpcId: string; AvailabilityZone: string }[];
  assert.ok(subnets.length >= 2, 'one subnet per zone');
  const [s1, s2] = subnets;
  const images = (await aws('ec2', 'describe-images', '--filters', 'Name=name,Values=shoal/hello')).Images as { ImageId: string }[];
  assert.equal(images.length, 1);
  const imageId = images[0]!.ImageId;
  assert.match(imageId, /^ami-[0-9a-f]{17}$/);

  const appPort = await freePort();
  const tg = (await aws('elbv2', 'create-target-group', '--name', 'web-api-targets', '--protocol', 'HTTP', '--port', String(appPort),
    '--vpc-id', s1!.VpcId, '--health-check-path', '/health', '--health-check-interval-seconds', '5', '--health-check-timeout-seconds', '2', '--healthy-threshold-count', '2',
    '--unhealthy-threshold-count', '2')).TargetGroups[0];
  assert.equal(tg.HealthCheckPath, '/health');
  // (The tutorial's --deregistration-delay-timeout-seconds is no CLI option: the delay is an attribute.)
  await aws('elbv2', 'modify-target-group-attributes', '--target-group-arn', tg.TargetGroupArn, '--attributes', 'Key=deregistration_delay.timeout_seconds,Value=1');
  const lb = (await aws('elbv2', 'create-load-balancer', '--name', 'web-api-alb', '--subnets', s1!.SubnetId, s2!.SubnetId)).LoadBalancers[0];
  assert.deepEqual((lb.AvailabilityZones as { ZoneName: string }[]).map((z) => z.ZoneName).sort(), [s1!.AvailabilityZone, s2!.AvailabilityZone].sort());
  const port = await freePort();
  await aws('elbv2', 'create-listener', '--load-balancer-arn', lb.LoadBalancerArn, '--protocol', 'HTTP', '--port', String(port),
    '--default-actions', `Type=forward,TargetGroupArn=${tg.TargetGroupArn}`);

  const userData = Buffer.from('#!/bin/sh\nexec node server.js\n').toString('base64');
  const lt = (await aws('ec2', 'create-launch-template', '--launch-template-name', 'web-api-template', '--launch-template-data',
    JSON.stringify({ ImageId: imageId, InstanceType: 't3.micro', UserData: userData, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web-api-instance' }] }] }))).LaunchTemplate;
  assert.match(lt.LaunchTemplateId, /^lt-[0-9a-f]{17}$/);
  await aws('autoscaling', 'create-auto-scaling-group', '--auto-scaling-group-name', 'web-api-asg', '--launch-template', 'LaunchTemplateName=web-api-template',
    '--min-size', '2', '--max-size', '4', '--desired-capacity', '2', '--target-group-arns', tg.TargetGroupArn, '--health-check-type', 'ELB',
    '--health-check-grace-period', '60', '--vpc-zone-identifier', `${s1!.SubnetId},${s2!.SubnetId}`);
  await aws('autoscaling', 'put-scaling-policy', '--auto-scaling-group-name', 'web-api-asg', '--policy-name', 'target-tracking-cpu',
    '--policy-type', 'TargetTrackingScaling', '--target-tracking-configuration',
    JSON.stringify({ PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 70.0 }));

  // Both instances boot, register and turn healthy; the CLI says so.
  await waitFor('two healthy targets', () => (daemon.control.describeTargetHealth('web-api-targets') ?? []).filter((d) => d.targetHealth.state === 'healthy').length === 2, 40_000);
  const health = (await aws('elbv2', 'describe-target-health', '--target-group-arn', tg.TargetGroupArn)).TargetHealthDescriptions as { Target: { Id: string }; TargetHealth: { State: string } }[];
  assert.deepEqual(health.map((h) => h.TargetHealth.State), ['healthy', 'healthy']);
  const group = (await aws('autoscaling', 'describe-auto-scaling-groups', '--auto-scaling-group-names', 'web-api-asg')).AutoScalingGroups[0];
  const ids = (group.Instances as { InstanceId: string; LifecycleState: string; AvailabilityZone: string }[]).map((i) => i.InstanceId).sort();
  assert.deepEqual(health.map((h) => h.Target.Id).sort(), ids, 'instance targets are shown by instance id');
  assert.equal(new Set((group.Instances as { AvailabilityZone: string }[]).map((i) => i.AvailabilityZone)).size, 2, 'spread over both subnets');
  const policies = (await aws('autoscaling', 'describe-policies', '--auto-scaling-group-name', 'web-api-asg')).ScalingPolicies as { PolicyName: string; Alarms: unknown[] }[];
  assert.equal(policies[0]?.PolicyName, 'target-tracking-cpu');
  assert.equal(policies[0]?.Alarms.length, 2, 'target tracking made its high and low alarms');

  // The DNS name reaches the listener (curl resolves *.localhost to loopback); both instances answer.
  const seen = new Set<string>();
  for (let i = 0; i < 20 && seen.size < 2; i++) {
    const body = await curl(`http://${lb.DNSName}:${port}/`);
    const id = ids.find((x) => body.includes(x));
    assert.ok(id, `answered by an instance of the group: ${body}`);
    seen.add(id);
  }
  assert.equal(seen.size, 2);

  // Terminate one: the group launches a replacement that turns healthy behind the load balancer.
  const victim = ids[0]!;
  const act = (await aws('autoscaling', 'terminate-instance-in-auto-scaling-group', '--instance-id', victim, '--no-should-decrement-desired-capacity')).Activity;
  assert.match(act.Description, new RegExp(`Terminating EC2 instance: ${victim}`));
  const replaced = await waitFor('a replacement InService and healthy', async () => {
    const g = (await aws('autoscaling', 'describe-auto-scaling-groups', '--auto-scaling-group-names', 'web-api-asg')).AutoScalingGroups[0];
    const now = (g.Instances as { InstanceId: string; LifecycleState: string }[]).filter((i) => i.LifecycleState === 'InService').map((i) => i.InstanceId);
    const healthy = (daemon.control.describeTargetHealth('web-api-targets') ?? []).filter((d) => d.targetHealth.state === 'healthy').length;
    return now.length === 2 && !now.includes(victim) && healthy === 2 ? now : undefined;
  }, 60_000);
  assert.equal(replaced.filter((id) => !ids.includes(id)).length, 1, 'one new instance');
  const activities = (await aws('autoscaling', 'describe-scaling-activities', '--auto-scaling-group-name', 'web-api-asg')).Activities as { Description: string }[];
  assert.ok(activities.some((a) => a.Description.startsWith('Launching a new EC2 instance') && replaced.some((id) => a.Description.includes(id) && !ids.includes(id))));
  for (let i = 0; i < 6; i++) assert.ok(!(await curl(`http://${lb.DNSName}:${port}/`)).includes(victim), 'the terminated instance gets no traffic');
});
