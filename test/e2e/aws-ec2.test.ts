/**
 * Every EC2 operation shoal has, through the AWS SDK for JavaScript v3
 * against a real daemon with real process instances: zones, the VPC and
 * subnets; security groups; launch templates and versions; the tutorials'
 * "run an instance, make an image of it, launch copies from the image";
 * stop/start/terminate; tags, filters, paging and AWS's error codes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuthorizeSecurityGroupIngressCommand, CreateImageCommand, CreateLaunchTemplateCommand, CreateLaunchTemplateVersionCommand,
  CreateSecurityGroupCommand, CreateTagsCommand, DeleteLaunchTemplateCommand, DescribeAvailabilityZonesCommand, DescribeImagesCommand,
  DescribeInstancesCommand, DescribeInstanceStatusCommand, DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand,
  DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client, GetConsoleOutputCommand,
  ModifyLaunchTemplateCommand, RunInstancesCommand, StartInstancesCommand, StopInstancesCommand, TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/log.js';
import { seededRandom } from '../../src/core/random.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { freePort } from '../support/backends.js';
import { sdkConfig } from '../support/aws.js';
import { sweep, waitFor } from './asg-support.js';

const USER_DATA = Buffer.from('#!/bin/sh\necho booting the web app\nexec node server.js\n').toString('base64');

test('EC2 through the SDK v3: every operation, from zones to images made of running instances', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-ec2-'));
  writeFileSync(join(dir, 'shoal.yaml'), `api: { listen: 127.0.0.1:${await freePort()} }\nstateDir: ${join(dir, 'state')}\n`);
  const daemon = await Daemon.start({
    configPath: join(dir, 'shoal.yaml'), clock: systemClock, random: seededRandom(process.pid), log: silentLogger, workers: 0,
    autoScaling: { metadata: { host: '127.0.0.1', port: 0 }, stopTimeoutMs: 3000, intervalMs: 250 },
  });
  t.after(async () => {
    await daemon.control.autoScalingService?.terminateAll(3000);
    await daemon.stop(2000);
    await sweep(join(dir, 'state'));
    rmSync(dir, { recursive: true, force: true });
  });
  const ec2 = new EC2Client(sdkConfig(daemon));
  const code = (p: Promise<unknown>) => p.then(() => 'no error', (e: Error) => e.name);

  // Zones, the VPC, subnets (with a filter).
  const zones = (await ec2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones!;
  assert.ok(zones.length >= 2 && zones.every((z) => z.State === 'available'));
  const vpc = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs![0]!;
  assert.match(vpc.VpcId!, /^vpc-[0-9a-f]{17}$/);
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).Subnets!;
  assert.deepEqual(subnets.map((s) => s.AvailabilityZone).sort(), zones.map((z) => z.ZoneName).sort(), 'a subnet per zone');
  const one = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone', Values: [zones[1]!.ZoneName!] }] }))).Subnets!;
  assert.deepEqual(one.map((s) => s.SubnetId), [subnets.find((s) => s.AvailabilityZone === zones[1]!.ZoneName)!.SubnetId]);

  // Security groups: stored and shown.
  const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web-sg', Description: 'web', VpcId: vpc.VpcId }));
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  assert.equal(await code(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web-sg', Description: 'again', VpcId: vpc.VpcId }))), 'InvalidGroup.Duplicate');
  const sgs = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [sg.GroupId!] }))).SecurityGroups!;
  assert.equal(sgs[0]!.IpPermissions![0]!.FromPort, 8080);

  // The built-in image; a launch template with two versions.
  const image = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['shoal/hello'] }] }))).Images![0]!.ImageId!;
  assert.equal(await code(ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] }))), 'InvalidAMIID.NotFound');
  const lt = (await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'web-lt', LaunchTemplateData: { ImageId: image, InstanceType: 't3.micro', UserData: USER_DATA } }))).LaunchTemplate!;
  assert.equal(await code(ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'web-lt', LaunchTemplateData: { ImageId: image } }))), 'InvalidLaunchTemplateName.AlreadyExistsException');
  const v2 = (await ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: lt.LaunchTemplateId, SourceVersion: '1', VersionDescription: 'small', LaunchTemplateData: { InstanceType: 't3.small' } }))).LaunchTemplateVersion!;
  assert.equal(v2.VersionNumber, 2);
  assert.equal(v2.LaunchTemplateData?.ImageId, image, 'the source version\'s data carries over');
  await ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: lt.LaunchTemplateId, DefaultVersion: '2' }));
  assert.equal((await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['web-lt'] }))).LaunchTemplates![0]!.DefaultVersionNumber, 2);
  const versions = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: lt.LaunchTemplateId, MaxResults: 1 }));
  assert.equal(versions.LaunchTemplateVersions!.length, 1);
  assert.ok(versions.NextToken, 'a second page');
  const rest = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: lt.LaunchTemplateId, MaxResults: 1, NextToken: versions.NextToken }));
  assert.deepEqual([...versions.LaunchTemplateVersions!, ...rest.LaunchTemplateVersions!].map((v) => v.VersionNumber).sort(), [1, 2]);

  // Run an instance from the template (its default version), tagged; it boots and answers.
  const run = await ec2.send(new RunInstancesCommand({
    MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'web-lt' }, SubnetId: subnets[0]!.SubnetId, SecurityGroupIds: [sg.GroupId!],
    TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'builder' }] }],
  }));
  const id = run.Instances![0]!.InstanceId!;
  assert.match(id, /^i-0[0-9a-f]{16}$/);
  assert.equal(run.Instances![0]!.InstanceType, 't3.small');
  const running = await waitFor('the instance running', async () => {
    const r = (await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: ['builder'] }, { Name: 'instance-state-name', Values: ['running'] }] }))).Reservations;
    return r?.[0]?.Instances?.[0];
  }, 20_000);
  assert.equal(running.InstanceId, id);
  assert.equal(running.Placement?.AvailabilityZone, subnets[0]!.AvailabilityZone);
  const status = (await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }))).InstanceStatuses![0]!;
  assert.equal(status.InstanceState?.Name, 'running');
  const privateIp = running.PrivateIpAddress!;
  const answer = await waitFor('the app answering', () => getFrom(privateIp, '/').catch(() => undefined), 20_000);
  assert.match(answer, new RegExp(`hello from ${id}`));
  const console = await waitFor('the boot log', async () => {
    const out = (await ec2.send(new GetConsoleOutputCommand({ InstanceId: id }))).Output;
    const text = out === undefined ? '' : Buffer.from(out, 'base64').toString('utf8');
    return text.includes('booting the web app') ? text : undefined;
  }, 20_000);
  assert.match(console, /booting the web app/, 'GetConsoleOutput is the boot log, base64');

  // Make an image of it; run a copy from the image with its own user data.
  const made = await ec2.send(new CreateImageCommand({ InstanceId: id, Name: 'web-image', Description: 'made from builder' }));
  assert.match(made.ImageId!, /^ami-[0-9a-f]{17}$/);
  await ec2.send(new CreateTagsCommand({ Resources: [made.ImageId!], Tags: [{ Key: 'stage', Value: 'gold' }] }));
  const described = (await ec2.send(new DescribeImagesCommand({ ImageIds: [made.ImageId!] }))).Images![0]!;
  assert.equal(described.Name, 'web-image');
  assert.deepEqual(described.Tags, [{ Key: 'stage', Value: 'gold' }]);
  const copy = (await ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, ImageId: made.ImageId, UserData: USER_DATA, Placement: { AvailabilityZone: zones[1]!.ZoneName } }))).Instances![0]!;
  const copyIp = await waitFor('the copy running', async () => {
    const i = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [copy.InstanceId!] }))).Reservations?.[0]?.Instances?.[0];
    return i?.State?.Name === 'running' ? i.PrivateIpAddress : undefined;
  }, 20_000);
  assert.match(await waitFor('the copy answering', () => getFrom(copyIp!, '/').catch(() => undefined), 20_000), new RegExp(`hello from ${copy.InstanceId}`));

  // Stop and start (freeze/thaw), terminate; unknown ids answer EC2's code.
  const stopped = (await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }))).StoppingInstances![0]!;
  assert.equal(stopped.CurrentState?.Name, 'stopped');
  assert.equal((await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!.State?.Name, 'stopped');
  assert.equal((await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }))).StartingInstances![0]!.CurrentState?.Name, 'running');
  const gone = (await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id, copy.InstanceId!] }))).TerminatingInstances!;
  assert.equal(gone.length, 2);
  for (const g of gone) assert.match(g.CurrentState?.Name ?? '', /^(shutting-down|terminated)$/);
  await waitFor('both terminated', async () => {
    const list = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id, copy.InstanceId!] }))).Reservations!.flatMap((r) => r.Instances!);
    return list.every((i) => i.State?.Name === 'terminated') ? true : undefined;
  }, 20_000);
  assert.equal(await code(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] }))), 'InvalidInstanceID.NotFound');
  assert.equal(await code(ec2.send(new TerminateInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] }))), 'InvalidInstanceID.NotFound');

  await ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: 'web-lt' }));
  assert.equal(await code(ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['web-lt'] }))), 'InvalidLaunchTemplateName.NotFoundException');
});

/** GET on an instance's own address (the app listens on PORT=8080 there). */
function getFrom(host: string, path: string): Promise<string> {
  return fetch(`http://${host}:8080${path}`, { signal: AbortSignal.timeout(2000) }).then((r) => r.text());
}
