/**
 * What the AWS API creates survives kill -9 of `shoal up`: a real daemon
 * process is given a target group, a load balancer with a listener, a launch
 * template and an Auto Scaling group through the SDK, killed with SIGKILL,
 * and started again on the same state: the same ARNs and ids are described,
 * the group's instance is adopted (not relaunched) and the listener answers
 * from it again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { AutoScalingClient, CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, DescribeImagesCommand, DescribeLaunchTemplatesCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, DescribeListenersCommand, DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { freePort } from '../support/backends.js';
import { TEST_CREDENTIALS } from '../support/aws.js';
import { get, waitFor } from './asg-support.js';

const CLI = resolve('dist/src/cli/main.js');

function up(configPath: string): { child: ChildProcess; exited: Promise<void> } {
  const child = spawn(process.execPath, [CLI, 'up', '-f', configPath], { env: { ...process.env, SHOAL_LOG: 'warn' }, stdio: 'ignore' });
  return { child, exited: new Promise((r) => child.on('exit', () => r())) };
}

test('API-created load balancer, target group, launch template and group survive kill -9 of the daemon', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-aws-restart-'));
  const api = await freePort();
  const configPath = join(dir, 'shoal.yaml');
  writeFileSync(configPath, `api: { listen: 127.0.0.1:${api} }\nstateDir: ${join(dir, 'state')}\n`);
  let daemon = up(configPath);
  t.after(async () => {
    daemon.child.kill('SIGKILL');
    await daemon.exited;
    spawnSync(process.execPath, [CLI, 'down', '-f', configPath], { stdio: 'ignore', timeout: 30_000 });
    rmSync(dir, { recursive: true, force: true });
  });
  const cfg = { endpoint: `http://127.0.0.1:${api}`, region: 'us-east-1', credentials: TEST_CREDENTIALS };
  const elb = new ElasticLoadBalancingV2Client(cfg);
  const ec2 = new EC2Client(cfg);
  const asg = new AutoScalingClient(cfg);
  const ready = () => waitFor('the AWS API', () => elb.send(new DescribeTargetGroupsCommand({})).then(() => true, () => false), 20_000);
  await ready();

  const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets!;
  const image = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['shoal/hello'] }] }))).Images![0]!.ImageId!;
  const appPort = await freePort();
  const port = await freePort();
  const tg = (await elb.send(new CreateTargetGroupCommand({
    Name: 'kept', Protocol: 'HTTP', Port: appPort, HealthCheckPath: '/health', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2,
  }))).TargetGroups![0]!;
  const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'kept-alb', Subnets: subnets.slice(0, 2).map((s) => s.SubnetId!) }))).LoadBalancers![0]!;
  const listener = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }))).Listeners![0]!;
  const lt = (await ec2.send(new CreateLaunchTemplateCommand({
    LaunchTemplateName: 'kept-lt', LaunchTemplateData: { ImageId: image, UserData: Buffer.from('#!/bin/sh\nexec node server.js\n').toString('base64') },
  }))).LaunchTemplate!;
  await asg.send(new CreateAutoScalingGroupCommand({
    AutoScalingGroupName: 'kept-asg', LaunchTemplate: { LaunchTemplateName: 'kept-lt' }, MinSize: 1, MaxSize: 2, DesiredCapacity: 1,
    VPCZoneIdentifier: subnets[0]!.SubnetId, TargetGroupARNs: [tg.TargetGroupArn!], HealthCheckType: 'ELB', HealthCheckGracePeriod: 60,
  }));
  const healthy = async () => (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }))).TargetHealthDescriptions!
    .filter((d) => d.TargetHealth?.State === 'healthy').map((d) => d.Target!.Id!);
  const [instanceId] = await waitFor('a healthy instance', async () => ((await healthy()).length === 1 ? await healthy() : undefined), 40_000);
  assert.match((await get(port, '/')).body, new RegExp(`hello from ${instanceId}`));

  daemon.child.kill('SIGKILL');
  await daemon.exited;
  await delay(100);
  daemon = up(configPath);
  await ready();

  assert.equal((await elb.send(new DescribeTargetGroupsCommand({ Names: ['kept'] }))).TargetGroups![0]!.TargetGroupArn, tg.TargetGroupArn);
  assert.equal((await elb.send(new DescribeLoadBalancersCommand({ Names: ['kept-alb'] }))).LoadBalancers![0]!.LoadBalancerArn, lb.LoadBalancerArn);
  assert.equal((await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners![0]!.ListenerArn, listener.ListenerArn);
  assert.equal((await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['kept-lt'] }))).LaunchTemplates![0]!.LaunchTemplateId, lt.LaunchTemplateId);
  const group = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['kept-asg'] }))).AutoScalingGroups![0]!;
  assert.deepEqual(group.Instances!.map((i) => i.InstanceId), [instanceId], 'the instance is adopted, not relaunched');
  await waitFor('the adopted instance healthy again', async () => ((await healthy())[0] === instanceId ? true : undefined), 30_000);
  assert.match((await get(port, '/')).body, new RegExp(`hello from ${instanceId}`), 'the listener is back, in front of the same instance');
});
