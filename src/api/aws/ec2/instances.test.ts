import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { instanceDir } from '../../../providers/process/meta.js';
import { FILE, b64, setup } from './testing.js';

const WITH_GROUP = `${FILE}autoScalingGroups:
  - name: filegroup
    launchTemplate: { name: filelt }
    minSize: 1
    maxSize: 2
    availabilityZones: [zone-a, zone-b]
`;

test('the tutorial: run an instance from shoal/hello, see it, stop and start it, image it, launch a template from the image, terminate it', async () => {
  const { call, clock, instances, dir } = setup();
  const hello = (await call('DescribeImages', { Owners: ['self'] })).Images.find((i: { Name: string }) => i.Name === 'shoal/hello');
  assert.equal(hello.State, 'available');
  const subnet = (await call('DescribeSubnets', { Filters: [{ Name: 'availability-zone', Values: ['zone-b'] }] })).Subnets[0];
  const run = await call('RunInstances', {
    ImageId: hello.ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: subnet.SubnetId, UserData: b64('exec node server.js'),
    TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'setup-box' }] }],
  });
  assert.match(run.ReservationId, /^r-0[0-9a-f]{16}$/);
  const i = run.Instances[0];
  assert.match(i.InstanceId, /^i-0[0-9a-f]{16}$/);
  assert.equal(i.ImageId, hello.ImageId);
  assert.deepEqual(i.Placement, { AvailabilityZone: 'zone-b', GroupName: '', Tenancy: 'default' });
  assert.equal(i.SubnetId, subnet.SubnetId);
  assert.match(i.PrivateIpAddress, /^127\.0\.2\.\d+$/);
  assert.deepEqual(i.Tags, [{ Key: 'Name', Value: 'setup-box' }]);
  assert.ok(i.LaunchTime instanceof Date);
  clock.advance(60_000);
  const d = await call('DescribeInstances', { Filters: [{ Name: 'instance-state-name', Values: ['running'] }, { Name: 'tag:Name', Values: ['setup-*'] }] });
  assert.deepEqual(d.Reservations.map((r: { Instances: Array<{ InstanceId: string }> }) => r.Instances[0]!.InstanceId), [i.InstanceId]);
  const out = await call('GetConsoleOutput', { InstanceId: i.InstanceId });
  assert.equal(out.InstanceId, i.InstanceId);
  assert.ok(out.Timestamp instanceof Date);

  const stop = await call('StopInstances', { InstanceIds: [i.InstanceId] });
  assert.deepEqual(stop.StoppingInstances, [{ InstanceId: i.InstanceId, PreviousState: { Code: 16, Name: 'running' }, CurrentState: { Code: 80, Name: 'stopped' } }]);
  assert.match((await call('DescribeInstances', { InstanceIds: [i.InstanceId] })).Reservations[0].Instances[0].StateTransitionReason, /^User initiated \(2026-11-22 10:01:00 GMT\)$/);
  const start = await call('StartInstances', { InstanceIds: [i.InstanceId] });
  assert.deepEqual(start.StartingInstances[0].CurrentState, { Code: 16, Name: 'running' });

  mkdirSync(join(instanceDir(dir, i.InstanceId), 'dir'), { recursive: true }); // the process provider's working copy
  writeFileSync(join(instanceDir(dir, i.InstanceId), 'dir', 'server.js'), '// set up');
  const img = await call('CreateImage', { InstanceId: i.InstanceId, Name: 'my-web-server-v1', TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'v', Value: '1' }] }] });
  const mine = (await call('DescribeImages', { Filters: [{ Name: 'name', Values: ['my-web-server-v1'] }] })).Images;
  assert.deepEqual(mine.map((x: { ImageId: string; SourceInstanceId: string; Tags: unknown }) => [x.ImageId, x.SourceInstanceId, x.Tags]), [[img.ImageId, i.InstanceId, [{ Key: 'v', Value: '1' }]]]);
  const lt = await call('CreateLaunchTemplate', { LaunchTemplateName: 'my-web-server-v1', LaunchTemplateData: { ImageId: img.ImageId, InstanceType: 't3.micro' } });
  assert.match(lt.LaunchTemplate.LaunchTemplateId, /^lt-[0-9a-f]{17}$/);

  const term = await call('TerminateInstances', { InstanceIds: [i.InstanceId] });
  assert.deepEqual(term.TerminatingInstances[0].PreviousState, { Code: 16, Name: 'running' });
  assert.ok(['shutting-down', 'terminated'].includes(term.TerminatingInstances[0].CurrentState.Name));
  await instances.settle();
  const after = (await call('DescribeInstances', { InstanceIds: [i.InstanceId] })).Reservations[0].Instances[0];
  assert.equal(after.State.Name, 'terminated');
  await assert.rejects(call('StartInstances', { InstanceIds: [i.InstanceId] }), { code: 'IncorrectInstanceState' });
});

test('a group\'s instances are EC2 instances; terminating one lets the group replace it; stopping one is refused', async () => {
  const { call, svc } = setup(WITH_GROUP);
  await svc.pass();
  const d = await call('DescribeInstances', { Filters: [{ Name: 'tag:aws:autoscaling:groupName', Values: ['filegroup'] }] });
  assert.equal(d.Reservations.length, 1);
  const i = d.Reservations[0].Instances[0];
  assert.equal(i.VpcId.startsWith('vpc-'), true);
  assert.equal(i.Placement.AvailabilityZone, 'zone-a');
  assert.match(i.ImageId, /^ami-[0-9a-f]{17}$/);
  await assert.rejects(call('StopInstances', { InstanceIds: [i.InstanceId] }), { code: 'UnsupportedOperation' });
  const st = await call('DescribeInstanceStatus', { InstanceIds: [i.InstanceId], IncludeAllInstances: true });
  assert.equal(st.InstanceStatuses[0].InstanceId, i.InstanceId);
  await call('TerminateInstances', { InstanceIds: [i.InstanceId] });
  assert.ok(svc.group('filegroup')!.find(i.InstanceId)!.terminating, 'the group terminates it (and replaces it)');
});

test('errors: unknown ids change nothing, unsupported parameters are named, MinCount is all or nothing', async () => {
  const { call, provider, instances } = setup();
  const hello = (await call('DescribeImages', { Filters: [{ Name: 'name', Values: ['shoal/hello'] }] })).Images[0].ImageId;
  const [a] = (await call('RunInstances', { ImageId: hello, MinCount: 1, MaxCount: 1 })).Instances;
  await assert.rejects(call('TerminateInstances', { InstanceIds: [a.InstanceId, 'i-0123456789abcdef0'] }), { code: 'InvalidInstanceID.NotFound' });
  assert.equal((await call('DescribeInstances', { InstanceIds: [a.InstanceId] })).Reservations[0].Instances[0].State.Name, 'running');
  await assert.rejects(call('RunInstances', { ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1 }), { code: 'InvalidAMIID.NotFound' });
  await assert.rejects(call('RunInstances', { ImageId: hello, MinCount: 1, MaxCount: 1, NetworkInterfaces: [] }), /NetworkInterfaces/);
  await assert.rejects(call('RunInstances', { ImageId: hello, MinCount: 1, MaxCount: 1, SubnetId: 'subnet-1a' }), { code: 'InvalidSubnetID.NotFound' });
  provider.failLaunch(3);
  await assert.rejects(call('RunInstances', { ImageId: hello, MinCount: 3, MaxCount: 3 }), { code: 'InsufficientInstanceCapacity' });
  assert.equal(instances.list().length, 1, 'the one launched before the failure is gone with its record');
  const some = await call('RunInstances', { ImageId: hello, MinCount: 1, MaxCount: 2, ClientToken: 'tok' });
  const again = await call('RunInstances', { ImageId: hello, MinCount: 1, MaxCount: 2, ClientToken: 'tok' });
  assert.equal(again.ReservationId, some.ReservationId);
});
