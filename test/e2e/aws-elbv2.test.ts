/**
 * Every elbv2 operation through the AWS SDK for JavaScript v3 against a
 * running daemon that starts with no load balancer at all: what the API
 * makes serves real traffic, shows in shoal's own views, survives a
 * restart, and file-owned resources refuse configuration changes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AddTagsCommand, CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand, CreateTargetGroupCommand,
  DeleteListenerCommand, DeleteLoadBalancerCommand, DeleteRuleCommand, DeleteTargetGroupCommand, DeregisterTargetsCommand,
  DescribeListenersCommand, DescribeLoadBalancerAttributesCommand, DescribeLoadBalancersCommand, DescribeRulesCommand,
  DescribeSSLPoliciesCommand, DescribeTagsCommand, DescribeTargetGroupAttributesCommand, DescribeTargetGroupsCommand, DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client, ModifyListenerCommand, ModifyLoadBalancerAttributesCommand, ModifyRuleCommand,
  ModifyTargetGroupAttributesCommand, ModifyTargetGroupCommand, RegisterTargetsCommand, RemoveTagsCommand, SetRulePrioritiesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { makeCerts } from '../../src/cli/cert.js';
import { Zones } from '../../src/resources/zones.js';
import { freePort, startBackend } from '../support/backends.js';
import { startDaemon, waitForHealth } from '../support/daemon.js';
import { sdkConfig } from '../support/aws.js';
import { parseAlbLine } from '../../src/dataplane/access-log/parse.js';
import { loadBalancerDimension } from '../../src/model/ids.js';

const run = promisify(execFile);

async function curl(url: string): Promise<string> {
  const { stdout } = await run('curl', ['-s', '--max-time', '5', url]);
  return stdout;
}

const FILE_OWNED = `
api: { listen: 127.0.0.1:API }
targetGroups:
  - name: filetg
    port: 80
`;

test('elbv2 through the SDK: build a load balancer from nothing, serve, change, tear down', async (t) => {
  const s = await startDaemon(FILE_OWNED);
  const blue = await startBackend('blue');
  const green = await startBackend('green');
  t.after(async () => {
    await s.stop();
    await blue.close();
    await green.close();
  });
  const elb = new ElasticLoadBalancingV2Client(sdkConfig(s.daemon));
  const [a, b] = new Zones(s.daemon.control.store).list();

  const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'web-targets', Protocol: 'HTTP', Port: blue.port, TargetType: 'ip', HealthCheckPath: '/health', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2 }))).TargetGroups![0]!;
  const tgArn = tg.TargetGroupArn!;
  await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: '127.0.0.1', Port: blue.port }] }));
  const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'web-alb', Subnets: [a!.subnetId, b!.subnetId], Tags: [{ Key: 'team', Value: 'web' }] }))).LoadBalancers![0]!;
  assert.deepEqual(lb.AvailabilityZones?.map((z) => z.ZoneName).sort(), [a!.name, b!.name].sort());
  const port = await freePort();
  const listener = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }))).Listeners![0]!;

  const healthy = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }));
  assert.equal(healthy.TargetHealthDescriptions?.[0]?.Target?.Port, blue.port);
  await waitForHealth(s.daemon, 'web-targets', (l) => l[0]?.targetHealth.state === 'healthy');
  assert.equal((await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))).TargetHealthDescriptions?.[0]?.TargetHealth?.State, 'healthy');
  assert.match(await curl(`http://${lb.DNSName}:${port}/`), /blue/, 'curl reaches the listener through the DNS name');

  // A rule sends /green/* to a second group; priorities move; the rule is modified, then deleted.
  const tg2 = (await elb.send(new CreateTargetGroupCommand({ Name: 'green-targets', Protocol: 'HTTP', Port: green.port, TargetType: 'ip', HealthCheckPath: '/health', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2 }))).TargetGroups![0]!;
  await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg2.TargetGroupArn, Targets: [{ Id: '127.0.0.1', Port: green.port }] }));
  const rule = (await elb.send(new CreateRuleCommand({ ListenerArn: listener.ListenerArn, Priority: 10, Conditions: [{ Field: 'path-pattern', Values: ['/green/*'] }], Actions: [{ Type: 'forward', TargetGroupArn: tg2.TargetGroupArn }] }))).Rules![0]!;
  await waitForHealth(s.daemon, 'green-targets', (l) => l[0]?.targetHealth.state === 'healthy');
  assert.match(await curl(`http://127.0.0.1:${port}/green/x`), /green/);
  await elb.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: rule.RuleArn, Priority: 5 }] }));
  await elb.send(new ModifyRuleCommand({ RuleArn: rule.RuleArn, Conditions: [{ Field: 'path-pattern', Values: ['/g/*'] }] }));
  const rules = (await elb.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules!;
  assert.deepEqual(rules.map((r) => [r.Priority, r.IsDefault, r.Conditions?.[0]?.Values]), [['5', false, ['/g/*']], ['default', true, undefined]]);
  assert.match(await curl(`http://127.0.0.1:${port}/g/x`), /green/);
  await elb.send(new DeleteRuleCommand({ RuleArn: rule.RuleArn }));
  assert.match(await curl(`http://127.0.0.1:${port}/g/x`), /blue/);

  // Attributes and tags.
  await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tgArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }, { Key: 'stickiness.enabled', Value: 'true' }] }));
  const attrs = (await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tgArn }))).Attributes!;
  assert.equal(attrs.find((x) => x.Key === 'deregistration_delay.timeout_seconds')?.Value, '5');
  assert.equal(attrs.find((x) => x.Key === 'stickiness.enabled')?.Value, 'true');
  await elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn, Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '120' }] }));
  const lbAttrs = (await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Attributes!;
  assert.equal(lbAttrs.find((x) => x.Key === 'idle_timeout.timeout_seconds')?.Value, '120');
  assert.equal(lbAttrs.find((x) => x.Key === 'access_logs.s3.enabled')?.Value, 'false');
  // access_logs.s3.enabled turns on the local access log (<stateDir>/access-logs/NAME.log); the bucket is only kept.
  await elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn, Attributes: [{ Key: 'access_logs.s3.enabled', Value: 'true' }, { Key: 'access_logs.s3.bucket', Value: 'my-logs' }] }));
  const logAttrs = new Map((await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Attributes!.map((x) => [x.Key, x.Value]));
  assert.deepEqual([logAttrs.get('access_logs.s3.enabled'), logAttrs.get('access_logs.s3.bucket'), logAttrs.get('idle_timeout.timeout_seconds')], ['true', 'my-logs', '120']);
  assert.match(await curl(`http://127.0.0.1:${port}/logged`), /blue/);
  const logFile = join(s.daemon.control.stateDir, 'access-logs', 'web-alb.log');
  const logged = async () => (await readFile(logFile, 'utf8').catch(() => '')).split('\n').find((l) => l.includes('/logged '));
  for (const deadline = Date.now() + 5000; (await logged()) === undefined && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 100));
  assert.equal(parseAlbLine((await logged())!).elb, loadBalancerDimension('web-alb'));
  await elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: tgArn, HealthCheckPath: '/health', HealthyThresholdCount: 3 }));
  assert.equal((await elb.send(new DescribeTargetGroupsCommand({ Names: ['web-targets'] }))).TargetGroups![0]!.HealthyThresholdCount, 3);
  await elb.send(new AddTagsCommand({ ResourceArns: [tgArn], Tags: [{ Key: 'env', Value: 'dev' }] }));
  await elb.send(new RemoveTagsCommand({ ResourceArns: [lb.LoadBalancerArn!], TagKeys: ['team'] }));
  const tags = (await elb.send(new DescribeTagsCommand({ ResourceArns: [tgArn, lb.LoadBalancerArn!] }))).TagDescriptions!;
  assert.deepEqual(tags.map((d) => d.Tags), [[{ Key: 'env', Value: 'dev' }], []]);

  // The listener moves to another port; then everything is deleted, dependents first (as AWS requires).
  const port2 = await freePort();
  await elb.send(new ModifyListenerCommand({ ListenerArn: listener.ListenerArn, Port: port2 }));
  assert.match(await curl(`http://127.0.0.1:${port2}/`), /blue/);
  await assert.rejects(elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn })), (e: Error) => e.name === 'ResourceInUseException');
  await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: '127.0.0.1', Port: blue.port }] }));
  await elb.send(new DeleteListenerCommand({ ListenerArn: listener.ListenerArn }));
  assert.deepEqual((await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners, []);
  await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
  await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn }));
  await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg2.TargetGroupArn }));
  assert.deepEqual((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers, []);
  assert.deepEqual((await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups?.map((g) => g.TargetGroupName), ['filetg']);
});

test('elbv2 through the SDK: API-made resources survive a restart; the file owns its own', async (t) => {
  const s = await startDaemon(FILE_OWNED);
  let again: Awaited<ReturnType<typeof startDaemon>> | undefined;
  t.after(async () => {
    await (again ?? s).stop();
  });
  const elb = new ElasticLoadBalancingV2Client(sdkConfig(s.daemon));
  const made = (await elb.send(new CreateTargetGroupCommand({ Name: 'api-tg', Protocol: 'HTTP', Port: 8080 }))).TargetGroups![0]!;
  const file = (await elb.send(new DescribeTargetGroupsCommand({ Names: ['filetg'] }))).TargetGroups![0]!;
  await assert.rejects(elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: file.TargetGroupArn })), (e: Error & { Code?: string }) => {
    assert.match(e.message, /shoal\.yaml:4/, 'names the file and line to edit');
    return true;
  });
  await elb.send(new RegisterTargetsCommand({ TargetGroupArn: file.TargetGroupArn, Targets: [{ Id: '127.0.0.1', Port: 9 }] }));
  await s.daemon.stop(0);
  again = await startDaemon(FILE_OWNED, { dir: s.dir });
  const elb2 = new ElasticLoadBalancingV2Client(sdkConfig(again.daemon));
  const all = (await elb2.send(new DescribeTargetGroupsCommand({}))).TargetGroups!;
  assert.deepEqual(all.map((g) => [g.TargetGroupName, g.TargetGroupArn]).sort(), [['api-tg', made.TargetGroupArn], ['filetg', file.TargetGroupArn]].sort(), 'same ARNs after the restart');
  const targets = (await elb2.send(new DescribeTargetHealthCommand({ TargetGroupArn: file.TargetGroupArn }))).TargetHealthDescriptions!;
  assert.deepEqual(targets.map((d) => d.Target?.Port), [9], 'runtime registrations on a file-owned group are kept');
});

test('elbv2 through the SDK: an HTTPS listener on a certificate file made by shoal cert', async (t) => {
  const s = await startDaemon(FILE_OWNED);
  const app = await startBackend('secure-app');
  t.after(async () => {
    await s.stop();
    await app.close();
  });
  const certs = await makeCerts({ names: ['web.localhost'], caDir: join(s.dir, 'ca'), out: s.dir });
  const elb = new ElasticLoadBalancingV2Client(sdkConfig(s.daemon));
  const [a, b] = new Zones(s.daemon.control.store).list();
  const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'tls-app', Protocol: 'HTTP', Port: app.port, TargetType: 'ip', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2 }))).TargetGroups![0]!;
  await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: '127.0.0.1', Port: app.port }] }));
  const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'tls-alb', Subnets: [a!.subnetId, b!.subnetId] }))).LoadBalancers![0]!;
  const port = await freePort();
  await assert.rejects(elb.send(new CreateListenerCommand({
    LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTPS', Port: port, Certificates: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/x' }],
    DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }],
  })), (e: Error) => e.name === 'CertificateNotFoundException' && /absolute path/.test(e.message));
  const listener = (await elb.send(new CreateListenerCommand({
    LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTPS', Port: port, Certificates: [{ CertificateArn: certs.files[0]!.cert }],
    SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }],
  }))).Listeners![0]!;
  assert.deepEqual(listener.Certificates, [{ CertificateArn: certs.files[0]!.cert, IsDefault: true }]);
  assert.equal(listener.SslPolicy, 'ELBSecurityPolicy-TLS13-1-2-2021-06');
  await waitForHealth(s.daemon, 'tls-app', (l) => l[0]?.targetHealth.state === 'healthy');
  const caFile = join(s.dir, 'ca', 'ca.pem');
  const body = await run('curl', ['-s', '--max-time', '5', '--cacert', caFile, '--resolve', `web.localhost:${port}:127.0.0.1`, `https://web.localhost:${port}/`]);
  assert.match(body.stdout, /secure-app/, 'curl verifies the certificate and reaches the target');

  // The policies a listener may name, as DescribeSSLPolicies shapes them; an unknown one is AWS's error.
  const policies = (await elb.send(new DescribeSSLPoliciesCommand({ Names: ['ELBSecurityPolicy-TLS13-1-2-2021-06'] }))).SslPolicies!;
  assert.deepEqual(policies[0]!.SslProtocols!.sort(), ['TLSv1.2', 'TLSv1.3']);
  assert.ok(policies[0]!.Ciphers!.some((c) => c.Name === 'ECDHE-RSA-AES128-GCM-SHA256'));
  assert.ok((await elb.send(new DescribeSSLPoliciesCommand({}))).SslPolicies!.length > 5, 'the FS and TLS13 families too');
  await assert.rejects(elb.send(new DescribeSSLPoliciesCommand({ Names: ['ELBSecurityPolicy-Nope'] })), (e: Error) => e.name === 'SSLPolicyNotFoundException');
});
