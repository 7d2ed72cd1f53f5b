/**
 * The real services through Python's boto3, both the current one in the
 * machine's Python and Debian's older python3-boto3, and through the AWS CLI
 * v1 (pip): a representative sequence over elbv2, Auto Scaling and EC2 on an
 * API-only daemon, with paginators and the error codes boto3 parses.
 * (CloudWatch's three protocols: aws-protocols.test.ts and aws-cloudwatch.test.ts.)
 */
import { test, after } from 'node:test';
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
import { awsCli, awsCliError, endpointUrl } from '../support/aws.js';
import { sweep } from './asg-support.js';

const run = promisify(execFile);

const dir = mkdtempSync(join(tmpdir(), 'shoal-python-'));
const configPath = join(dir, 'shoal.yaml');
writeFileSync(configPath, `api: { listen: 127.0.0.1:${await freePort()} }\nstateDir: ${join(dir, 'state')}\n`);
const daemon = await Daemon.start({
  configPath, clock: systemClock, random: seededRandom(process.pid), log: silentLogger, workers: 0,
  autoScaling: { metadata: { host: '127.0.0.1', port: 0 }, stopTimeoutMs: 3000, intervalMs: 250 },
});
after(async () => {
  await daemon.control.autoScalingService?.terminateAll(3000);
  await daemon.stop(2000);
  await sweep(join(dir, 'state'));
  rmSync(dir, { recursive: true, force: true });
});

/** One line of JSON per step; `p` is the name prefix so both Pythons share the daemon. */
const SCRIPT = `
import base64, json, sys
import boto3, botocore
url, p, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
kw = dict(endpoint_url=url, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
ec2, elb, asg = boto3.client('ec2', **kw), boto3.client('elbv2', **kw), boto3.client('autoscaling', **kw)
out = lambda k, v: print(json.dumps({k: v}, default=str))
def code(fn):
    try:
        fn()
        return None
    except botocore.exceptions.ClientError as e:
        return [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]

subnets = ec2.describe_subnets()['Subnets']
out('subnets', [s['SubnetId'] for s in subnets])
image = ec2.describe_images(Filters=[{'Name': 'name', 'Values': ['shoal/hello']}])['Images'][0]['ImageId']
tgs = [elb.create_target_group(Name=p + '-tg-%d' % i, Protocol='HTTP', Port=port, VpcId=subnets[0]['VpcId'], HealthCheckPath='/health')['TargetGroups'][0] for i in range(3)]
out('duplicate', code(lambda: elb.create_target_group(Name=p + '-tg-0', Protocol='HTTP', Port=port + 1)))
pages = elb.get_paginator('describe_target_groups').paginate(PaginationConfig={'PageSize': 2})
out('paged', [g['TargetGroupName'] for page in pages for g in page['TargetGroups'] if g['TargetGroupName'].startswith(p)])
lb = elb.create_load_balancer(Name=p + '-alb', Subnets=[s['SubnetId'] for s in subnets[:2]])['LoadBalancers'][0]
out('lb', [lb['Type'], lb['Scheme'], lb['DNSName'].endswith('.elb.localhost'), len(lb['AvailabilityZones'])])
listener = elb.create_listener(LoadBalancerArn=lb['LoadBalancerArn'], Protocol='HTTP', Port=port + 2, DefaultActions=[{'Type': 'forward', 'TargetGroupArn': tgs[0]['TargetGroupArn']}])['Listeners'][0]
out('listener', [listener['Port'], listener['DefaultActions'][0]['Type']])
out('no-lb', code(lambda: elb.describe_load_balancers(Names=[p + '-none'])))
lt = ec2.create_launch_template(LaunchTemplateName=p + '-lt', LaunchTemplateData={'ImageId': image, 'InstanceType': 't3.micro', 'UserData': base64.b64encode(b'#!/bin/sh\\nexec node server.js\\n').decode()})['LaunchTemplate']
out('lt', [lt['LaunchTemplateName'], lt['LatestVersionNumber']])
out('lt-dup', code(lambda: ec2.create_launch_template(LaunchTemplateName=p + '-lt', LaunchTemplateData={'ImageId': image})))
asg.create_auto_scaling_group(AutoScalingGroupName=p + '-asg', LaunchTemplate={'LaunchTemplateName': p + '-lt', 'Version': '$Latest'}, MinSize=0, MaxSize=3, DesiredCapacity=0,
    VPCZoneIdentifier=','.join(s['SubnetId'] for s in subnets[:2]), TargetGroupARNs=[tgs[0]['TargetGroupArn']], HealthCheckType='ELB', HealthCheckGracePeriod=30)
g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=[p + '-asg'])['AutoScalingGroups'][0]
out('asg', [g['MinSize'], g['MaxSize'], g['DesiredCapacity'], g['HealthCheckType'], g['TargetGroupARNs'] == [tgs[0]['TargetGroupArn']]])
out('asg-dup', code(lambda: asg.create_auto_scaling_group(AutoScalingGroupName=p + '-asg', LaunchTemplate={'LaunchTemplateName': p + '-lt'}, MinSize=0, MaxSize=1, AvailabilityZones=[subnets[0]['AvailabilityZone']])))
out('bad-capacity', code(lambda: asg.set_desired_capacity(AutoScalingGroupName=p + '-asg', DesiredCapacity=9)))
asg.put_scaling_policy(AutoScalingGroupName=p + '-asg', PolicyName='cpu', PolicyType='TargetTrackingScaling', TargetTrackingConfiguration={'PredefinedMetricSpecification': {'PredefinedMetricType': 'ASGAverageCPUUtilization'}, 'TargetValue': 60.0})
out('policies', [x['PolicyName'] for x in asg.describe_policies(AutoScalingGroupName=p + '-asg')['ScalingPolicies']])
out('no-instance', code(lambda: ec2.describe_instances(InstanceIds=['i-0123456789abcdef0'])))
out('unsupported', code(lambda: ec2.describe_key_pairs()))
asg.delete_auto_scaling_group(AutoScalingGroupName=p + '-asg', ForceDelete=True)
out('in-use', code(lambda: elb.delete_target_group(TargetGroupArn=tgs[0]['TargetGroupArn'])))
elb.delete_load_balancer(LoadBalancerArn=lb['LoadBalancerArn'])
for t in tgs: elb.delete_target_group(TargetGroupArn=t['TargetGroupArn'])
ec2.delete_launch_template(LaunchTemplateName=p + '-lt')
out('left', [g['TargetGroupName'] for g in elb.describe_target_groups()['TargetGroups'] if g['TargetGroupName'].startswith(p)])
`;

async function python(bin: string, prefix: string): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const { stdout } = await run(bin, ['-c', SCRIPT, endpointUrl(daemon), prefix, String(await freePort())], { maxBuffer: 4 * 1024 * 1024 });
  return Object.assign({}, ...stdout.trim().split('\n').map((l) => JSON.parse(l)));
}

for (const [name, bin, prefix] of [['boto3 (current, the machine Python)', 'python3', 'new'], ["boto3 (Debian's python3-boto3)", '/usr/bin/python3', 'deb']] as const) {
  test(`${name}: elbv2, Auto Scaling and EC2 against the real services`, async () => {
    const r = await python(bin, prefix);
    assert.ok(r.subnets.length >= 2);
    assert.deepEqual(r.duplicate, ['DuplicateTargetGroupName', 'A target group with the same name exists, but with different settings', 400]);
    assert.deepEqual(r.paged, [`${prefix}-tg-0`, `${prefix}-tg-1`, `${prefix}-tg-2`], 'the paginator follows NextMarker');
    assert.deepEqual(r.lb, ['application', 'internet-facing', true, 2]);
    assert.equal(r.listener[1], 'forward');
    assert.equal(r['no-lb'][0], 'LoadBalancerNotFound');
    assert.deepEqual(r.lt, [`${prefix}-lt`, 1]);
    assert.equal(r['lt-dup'][0], 'InvalidLaunchTemplateName.AlreadyExistsException');
    assert.deepEqual(r.asg, [0, 3, 0, 'ELB', true]);
    assert.equal(r['asg-dup'][0], 'AlreadyExists');
    assert.equal(r['bad-capacity'][0], 'ValidationError');
    assert.match(r['bad-capacity'][1], /max/i);
    assert.deepEqual(r.policies, ['cpu']);
    assert.equal(r['no-instance'][0], 'InvalidInstanceID.NotFound', 'the EC2 error shape parses');
    assert.equal(r.unsupported[0], 'UnsupportedOperation');
    assert.match(r.unsupported[1], /DescribeKeyPairs/);
    assert.equal(r['in-use'][0], 'ResourceInUse', 'a target group a listener forwards to cannot be deleted');
    assert.deepEqual(r.left, []);
  });
}

test('AWS CLI v1 (pip): describe-subnets, create-target-group, create-launch-template, errors as it prints them', async () => {
  const subnets = (await awsCli(daemon, ['ec2', 'describe-subnets'], { bin: 'aws' })).Subnets;
  assert.ok(subnets.length >= 2);
  const tg = (await awsCli(daemon, ['elbv2', 'create-target-group', '--name', 'v1-tg', '--protocol', 'HTTP', '--port', '8080', '--vpc-id', subnets[0].VpcId], { bin: 'aws' })).TargetGroups[0];
  assert.equal(tg.TargetGroupName, 'v1-tg');
  const image = (await awsCli(daemon, ['ec2', 'describe-images', '--filters', 'Name=name,Values=shoal/hello'], { bin: 'aws' })).Images[0].ImageId;
  const lt = (await awsCli(daemon, ['ec2', 'create-launch-template', '--launch-template-name', 'v1-lt', '--launch-template-data', JSON.stringify({ ImageId: image, InstanceType: 't3.micro' })], { bin: 'aws' })).LaunchTemplate;
  assert.match(lt.LaunchTemplateId, /^lt-[0-9a-f]{17}$/);
  assert.match(await awsCliError(daemon, ['autoscaling', 'describe-auto-scaling-groups', '--max-records', '0'], { bin: 'aws' }), /\(ValidationError\)/);
  assert.match(await awsCliError(daemon, ['elbv2', 'describe-target-groups', '--target-group-arns', tg.TargetGroupArn.replace(/\/[0-9a-f]+$/, '/0000000000000000')], { bin: 'aws' }), /\(TargetGroupNotFound\)/);
  await awsCli(daemon, ['elbv2', 'delete-target-group', '--target-group-arn', tg.TargetGroupArn], { bin: 'aws' });
});
