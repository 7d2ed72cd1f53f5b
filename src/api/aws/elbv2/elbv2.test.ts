import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../core/clock.js';
import { seededRandom } from '../../../core/random.js';
import type { Target } from '../../../model/target-group.js';
import { ModelService } from '../../../resources/model.js';
import { Zones } from '../../../resources/zones.js';
import { createMemoryStore } from '../../../store/index.js';
import type { OpContext, Output } from '../common/op.js';
import { operations } from './index.js';

const FILE = `targetGroups:
  - name: filetg
    port: 4000
loadBalancers:
  - name: fileweb
    listeners:
      - port: 18080
        defaultActions: [{ type: forward, targetGroup: filetg }]
`;
const ctx: OpContext = { requestId: 'r', region: 'eu-west-3', accessKeyId: 'test' };

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-elbv2-'));
  writeFileSync(join(dir, 'shoal.yaml'), FILE);
  const store = createMemoryStore(new ManualClock());
  const model = new ModelService({ store, clock: new ManualClock(), random: seededRandom(5) });
  model.loadFile(join(dir, 'shoal.yaml'));
  const registered = new Map<string, Target[]>();
  const zones = new Zones(store);
  const ops = operations({
    model, zones,
    registerTargets: (g, t) => registered.set(g, [...(registered.get(g) ?? []), ...t]),
    deregisterTargets: (g, t) => {
      const keep = (registered.get(g) ?? []).filter((x) => !t.some((y) => y.id === x.id && y.port === x.port));
      registered.set(g, keep);
      return t as Target[];
    },
    describeTargetHealth: (g) => (registered.get(g) ?? []).map((t) => ({ target: t, healthCheckPort: String(t.port), targetHealth: { state: 'initial', reason: 'Elb.InitialHealthChecking' } })),
    instanceAddress: (id) => (id === 'i-0aaa' ? { ip: '127.0.1.10', availabilityZone: 'zone-a' } : undefined),
    instanceAt: (ip) => (ip === '127.0.1.10' ? 'i-0aaa' : undefined),
  });
  const call = async (op: string, input: Record<string, unknown> = {}): Promise<any> => ops[op]!(input, ctx) as Promise<Output>; // eslint-disable-line @typescript-eslint/no-explicit-any
  return { model, zones, call, registered };
}

test('the tutorial sequence: target group, load balancer on two subnets, listener, rule', async () => {
  const { call, zones, model } = setup();
  const [a, b] = zones.list();
  const tg = (await call('CreateTargetGroup', { Name: 'my-web-app-targets', Protocol: 'HTTP', Port: 8080, HealthCheckPath: '/health', HealthCheckIntervalSeconds: 30, HealthyThresholdCount: 2, UnhealthyThresholdCount: 3 })).TargetGroups[0];
  assert.match(tg.TargetGroupArn, /^arn:aws:elasticloadbalancing:eu-west-3:000000000000:targetgroup\/my-web-app-targets\/[0-9a-f]{16}$/);
  assert.equal(tg.HealthCheckPath, '/health');
  assert.equal(tg.HealthyThresholdCount, 2);
  assert.equal(tg.HealthCheckTimeoutSeconds, 5, 'AWS defaults fill the rest');
  assert.equal(tg.TargetType, 'instance');
  const lb = (await call('CreateLoadBalancer', { Name: 'my-web-app-alb', Subnets: [a!.subnetId, b!.subnetId], SecurityGroups: ['sg-1'], Scheme: 'internet-facing', Type: 'application' })).LoadBalancers[0];
  assert.match(lb.LoadBalancerArn, /:loadbalancer\/app\/my-web-app-alb\/[0-9a-f]{16}$/);
  assert.match(lb.DNSName, /^my-web-app-alb-\d+\.elb\.localhost$/);
  assert.deepEqual(lb.AvailabilityZones.map((z: { ZoneName: string }) => z.ZoneName), [a!.name, b!.name]);
  const listener = (await call('CreateListener', { LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 18081, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] })).Listeners[0];
  assert.match(listener.ListenerArn, /:listener\/app\/my-web-app-alb\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
  assert.equal(listener.DefaultActions[0].TargetGroupArn, tg.TargetGroupArn);
  assert.deepEqual(model.effective.loadBalancers.find((l) => l.name === 'my-web-app-alb')!.listeners[0]!.defaultActions, [{ type: 'forward', targetGroups: [{ targetGroup: 'my-web-app-targets', weight: 1 }] }], 'the data plane sees it');
  const described = (await call('DescribeTargetGroups', { Names: ['my-web-app-targets'] })).TargetGroups[0];
  assert.deepEqual(described.LoadBalancerArns, [lb.LoadBalancerArn]);

  const r1 = (await call('CreateRule', { ListenerArn: listener.ListenerArn, Priority: 10, Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }], Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', MessageBody: 'api' } }] })).Rules[0];
  await assert.rejects(call('CreateRule', { ListenerArn: listener.ListenerArn, Priority: 10, Conditions: [{ Field: 'path-pattern', Values: ['/x'] }], Actions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }), { code: 'PriorityInUse' });
  const r2 = (await call('CreateRule', { ListenerArn: listener.ListenerArn, Priority: 20, Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['admin.*'] } }], Actions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] })).Rules[0];
  const rules = (await call('DescribeRules', { ListenerArn: listener.ListenerArn })).Rules;
  assert.deepEqual(rules.map((x: { Priority: string }) => x.Priority), ['10', '20', 'default']);
  assert.deepEqual(rules[0].Conditions[0], { Field: 'path-pattern', Values: ['/api/*'], PathPatternConfig: { Values: ['/api/*'] } });
  const moved = (await call('SetRulePriorities', { RulePriorities: [{ RuleArn: r1.RuleArn, Priority: 30 }] })).Rules[0];
  assert.equal(moved.RuleArn, r1.RuleArn, 'a rule keeps its ARN when its priority moves');
  assert.equal(moved.Priority, '30');
  const after = (await call('DescribeRules', { ListenerArn: listener.ListenerArn })).Rules;
  assert.deepEqual(after.map((x: { RuleArn: string }) => x.RuleArn), [r2.RuleArn, r1.RuleArn, rules[2].RuleArn]);
  await assert.rejects(call('DeleteRule', { RuleArn: rules[2].RuleArn }), { code: 'OperationNotPermitted' });
  await assert.rejects(call('DeleteTargetGroup', { TargetGroupArn: tg.TargetGroupArn }), { code: 'ResourceInUse' });
  await call('DeleteLoadBalancer', { LoadBalancerArn: lb.LoadBalancerArn });
  await call('DeleteTargetGroup', { TargetGroupArn: tg.TargetGroupArn });
  assert.deepEqual(model.effective.targetGroups.map((g) => g.name), ['filetg']);
  await call('DeleteLoadBalancer', { LoadBalancerArn: lb.LoadBalancerArn }); // gone: still succeeds, as AWS
});

test('file-owned resources: runtime operations work, configuration changes name the file and line', async () => {
  const { call, registered } = setup();
  const tg = (await call('DescribeTargetGroups', { Names: ['filetg'] })).TargetGroups[0];
  await call('RegisterTargets', { TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: '127.0.0.1', Port: 9001 }, { Id: 'i-0aaa' }] });
  assert.deepEqual(registered.get('filetg'), [{ id: '127.0.0.1', port: 9001 }, { id: '127.0.1.10', port: 4000, availabilityZone: 'zone-a' }]);
  await assert.rejects(call('RegisterTargets', { TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: 'i-0bbb' }] }), { code: 'InvalidTarget' });
  const health = (await call('DescribeTargetHealth', { TargetGroupArn: tg.TargetGroupArn })).TargetHealthDescriptions;
  assert.deepEqual(health[0], { Target: { Id: '127.0.0.1', Port: 9001 }, HealthCheckPort: '9001', TargetHealth: { State: 'initial', Reason: 'Elb.InitialHealthChecking' } });
  await assert.rejects(call('ModifyTargetGroup', { TargetGroupArn: tg.TargetGroupArn, HealthCheckPath: '/x' }), (err: Error & { code: string }) => {
    assert.equal(err.code, 'ResourceOwnedByFile');
    assert.match(err.message, /shoal\.yaml:2/);
    return true;
  });
  await call('AddTags', { ResourceArns: [tg.TargetGroupArn], Tags: [{ Key: 'env', Value: 'dev' }] });
  assert.deepEqual((await call('DescribeTags', { ResourceArns: [tg.TargetGroupArn] })).TagDescriptions[0].Tags, [{ Key: 'env', Value: 'dev' }]);
});

test('attributes map to the model, and unknown or unsupported ones are refused by name', async () => {
  const { call, model } = setup();
  const tg = (await call('CreateTargetGroup', { Name: 'attrs', Port: 80 })).TargetGroups[0];
  const out = (await call('ModifyTargetGroupAttributes', { TargetGroupArn: tg.TargetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }, { Key: 'stickiness.enabled', Value: 'true' }, { Key: 'stickiness.type', Value: 'lb_cookie' }] })).Attributes;
  assert.ok(out.some((a: { Key: string; Value: string }) => a.Key === 'deregistration_delay.timeout_seconds' && a.Value === '30'));
  assert.equal(model.effective.targetGroups.find((g) => g.name === 'attrs')!.attributes.stickiness.enabled, true);
  await assert.rejects(call('ModifyTargetGroupAttributes', { TargetGroupArn: tg.TargetGroupArn, Attributes: [{ Key: 'lambda.multi_value_headers.enabled', Value: 'true' }] }), /not supported by shoal/);
  await assert.rejects(call('ModifyTargetGroupAttributes', { TargetGroupArn: tg.TargetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '99999' }] }), { code: 'ValidationError' });
  assert.equal(model.effective.targetGroups.find((g) => g.name === 'attrs')!.attributes.deregistrationDelaySeconds, 30, 'a refused change changes nothing');
});

test('errors in AWS\'s codes', async () => {
  const { call, zones } = setup();
  await assert.rejects(call('DescribeTargetGroups', { TargetGroupArns: ['arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/nope/0123456789abcdef'] }), { code: 'TargetGroupNotFound' });
  await assert.rejects(call('DescribeLoadBalancers', { Names: ['nope'] }), { code: 'LoadBalancerNotFound' });
  await assert.rejects(call('CreateLoadBalancer', { Name: 'one-subnet', Subnets: [zones.list()[0]!.subnetId] }), /two subnets/);
  await assert.rejects(call('CreateLoadBalancer', { Name: 'bad-subnet', Subnets: ['subnet-0', 'subnet-1'] }), { code: 'SubnetNotFound' });
  await call('CreateTargetGroup', { Name: 'dup', Port: 80 });
  await call('CreateTargetGroup', { Name: 'dup', Port: 80 }); // identical: AWS returns the existing one
  await assert.rejects(call('CreateTargetGroup', { Name: 'dup', Port: 81 }), { code: 'DuplicateTargetGroupName' });
  await assert.rejects(call('CreateTargetGroup', { Name: 'lam', TargetType: 'lambda' }), /not supported by shoal/);
  await assert.rejects(call('CreateTargetGroup', { Name: 'p0', Port: 0 }), { code: 'ValidationError' });
});
