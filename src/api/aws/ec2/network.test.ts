import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VPC_ID } from '../../../resources/zones.js';
import { setup } from './testing.js';

test('zones, the default VPC and one default subnet per zone', async () => {
  const { call } = setup();
  const az = (await call('DescribeAvailabilityZones')).AvailabilityZones;
  assert.deepEqual(az[0], {
    State: 'available', OptInStatus: 'opt-in-not-required', Messages: [], RegionName: 'eu-west-3', ZoneName: 'zone-a', ZoneId: 'shoal-az1',
    GroupName: 'eu-west-3', NetworkBorderGroup: 'eu-west-3', ZoneType: 'availability-zone',
  });
  const vpcs = (await call('DescribeVpcs', { Filters: [{ Name: 'is-default', Values: ['true'] }] })).Vpcs;
  assert.deepEqual(vpcs.map((v: { VpcId: string; CidrBlock: string; IsDefault: boolean }) => [v.VpcId, v.CidrBlock, v.IsDefault]), [[VPC_ID, '127.0.0.0/16', true]]);
  const subnets = (await call('DescribeSubnets', { Filters: [{ Name: 'vpc-id', Values: [VPC_ID] }, { Name: 'default-for-az', Values: ['true'] }] })).Subnets;
  assert.deepEqual(subnets.map((s: { AvailabilityZone: string; CidrBlock: string }) => [s.AvailabilityZone, s.CidrBlock]), [['zone-a', '127.0.1.0/24'], ['zone-b', '127.0.2.0/24'], ['zone-c', '127.0.3.0/24']]);
  assert.equal(subnets[0].AvailableIpAddressCount, 245);
  await assert.rejects(call('DescribeSubnets', { SubnetIds: ['subnet-1a'] }), { code: 'InvalidSubnetID.NotFound' });
  await assert.rejects(call('DescribeSubnets', { Filters: [{ Name: 'nope', Values: ['x'] }] }), { code: 'InvalidParameterValue' });
});

test('security groups: the default one, create, authorize (shorthand and IpPermissions), duplicates refused; tags', async () => {
  const { call } = setup();
  const sg = await call('CreateSecurityGroup', { GroupName: 'web', Description: 'web servers', VpcId: VPC_ID });
  assert.match(sg.GroupId, /^sg-[0-9a-f]{17}$/);
  await assert.rejects(call('CreateSecurityGroup', { GroupName: 'web', Description: 'again' }), { code: 'InvalidGroup.Duplicate' });
  const auth = await call('AuthorizeSecurityGroupIngress', { GroupId: sg.GroupId, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' });
  assert.equal(auth.Return, true);
  assert.equal(auth.SecurityGroupRules[0].CidrIpv4, '0.0.0.0/0');
  await assert.rejects(call('AuthorizeSecurityGroupIngress', { GroupId: sg.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }), { code: 'InvalidPermission.Duplicate' });
  await call('CreateTags', { Resources: [sg.GroupId], Tags: [{ Key: 'env', Value: 'dev' }] });
  const all = (await call('DescribeSecurityGroups')).SecurityGroups;
  assert.deepEqual(all.map((g: { GroupName: string }) => g.GroupName).sort(), ['default', 'web']);
  const web = (await call('DescribeSecurityGroups', { Filters: [{ Name: 'tag:env', Values: ['dev'] }] })).SecurityGroups;
  assert.deepEqual(web[0].IpPermissions, [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }]);
  await assert.rejects(call('DescribeSecurityGroups', { GroupIds: ['sg-0123456789abcdef0'] }), { code: 'InvalidGroup.NotFound' });
  await assert.rejects(call('CreateTags', { Resources: [sg.GroupId, 'i-0123456789abcdef0'], Tags: [{ Key: 'x', Value: '1' }] }), { code: 'InvalidInstanceID.NotFound' });
  const after = (await call('DescribeSecurityGroups', { GroupIds: [sg.GroupId] })).SecurityGroups[0];
  assert.deepEqual(after.Tags, [{ Key: 'env', Value: 'dev' }], 'a failed CreateTags writes nothing');
});

test('CreateTags on a launch template and an image shows in their describes', async () => {
  const { call } = setup();
  const lt = (await call('DescribeLaunchTemplates')).LaunchTemplates[0];
  const img = (await call('DescribeImages', { Filters: [{ Name: 'name', Values: ['shoal/hello'] }] })).Images[0];
  await call('CreateTags', { Resources: [lt.LaunchTemplateId, img.ImageId], Tags: [{ Key: 'k', Value: 'v' }] });
  assert.deepEqual((await call('DescribeLaunchTemplates')).LaunchTemplates[0].Tags, [{ Key: 'k', Value: 'v' }]);
  assert.deepEqual((await call('DescribeImages', { ImageIds: [img.ImageId] })).Images[0].Tags, [{ Key: 'k', Value: 'v' }]);
});
