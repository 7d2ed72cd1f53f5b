/**
 * Network load balancers through the AWS SDK for JavaScript v3 against a
 * running daemon: a TCP load balancer built from nothing carries bytes to
 * real loopback targets and back; NLB target group attributes (PROXY v2 seen
 * at the target) and load balancer attributes (cross-zone) round-trip; and
 * each NLB mistake answers AWS's error code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, DescribeLoadBalancerAttributesCommand,
  DescribeTargetGroupAttributesCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client, ModifyLoadBalancerAttributesCommand,
  ModifyTargetGroupAttributesCommand, ModifyTargetGroupCommand, RegisterTargetsCommand, type Certificate,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { join } from 'node:path';
import { makeCerts } from '../../src/cli/cert.js';
import { Zones } from '../../src/resources/zones.js';
import { freePort } from '../support/backends.js';
import { startDaemon, waitForHealth } from '../support/daemon.js';
import { sdkConfig } from '../support/aws.js';
import { exchange, tcpTarget, until } from '../support/tcp.js';

/** The SDK names a modeled error by its shape (IncompatibleProtocolsException) and an unmodeled one by AWS's code. */
function awsCode(code: string, message?: RegExp): (e: Error) => boolean {
  return (e) => {
    assert.ok(e.name === code || e.name === `${code}Exception`, `want ${code}, got ${e.name}: ${e.message}`);
    if (message) assert.match(e.message, message);
    return true;
  };
}

test('elbv2 SDK: a network load balancer from nothing carries TCP bytes to its targets; NLB attributes round-trip', async (t) => {
  const s = await startDaemon('api: { listen: 127.0.0.1:API }\n');
  const [one, two] = [await tcpTarget('one'), await tcpTarget('two')];
  t.after(async () => {
    await s.stop();
    one.server.close();
    two.server.close();
  });
  const elb = new ElasticLoadBalancingV2Client(sdkConfig(s.daemon));
  const [a] = new Zones(s.daemon.control.store).list();

  const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'net', Type: 'network', Subnets: [a!.subnetId] }))).LoadBalancers![0]!;
  assert.equal(lb.Type, 'network');
  assert.match(lb.LoadBalancerArn!, /:loadbalancer\/net\/net\/[0-9a-f]{16}$/);
  const tg = (await elb.send(new CreateTargetGroupCommand({
    Name: 'tcp-targets', Protocol: 'TCP', Port: one.port, TargetType: 'ip', HealthCheckProtocol: 'TCP',
    HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2, UnhealthyThresholdCount: 2,
  }))).TargetGroups![0]!;
  assert.equal(tg.Protocol, 'TCP');
  assert.equal(tg.HealthCheckProtocol, 'TCP');
  assert.equal(tg.HealthCheckPath, undefined, 'a TCP check has no path (as AWS)');
  assert.equal(tg.Matcher, undefined, 'nor a matcher');
  assert.equal(tg.ProtocolVersion, undefined, 'nor a network group a protocol version');
  await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: '127.0.0.1', Port: one.port }, { Id: '127.0.0.1', Port: two.port }] }));
  const port = await freePort();
  const listener = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'TCP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }))).Listeners![0]!;
  assert.equal(listener.Protocol, 'TCP');

  await waitForHealth(s.daemon, 'tcp-targets', (l) => l.length === 2 && l.every((d) => d.targetHealth.state === 'healthy'), 15_000);
  const health = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }))).TargetHealthDescriptions!;
  assert.deepEqual(health.map((h) => h.TargetHealth?.State), ['healthy', 'healthy']);
  const seen = new Set<string>();
  for (let i = 0; i < 6; i++) {
    const answer = await exchange(port, `bytes ${i}`);
    assert.match(answer, new RegExp(`^(one|two) 127\\.0\\.0\\.1 -\\nbytes ${i}$`), 'the bytes go to a target and come back');
    seen.add(answer.split(' ')[0]!);
  }
  assert.deepEqual([...seen].sort(), ['one', 'two'], 'connections spread over both targets');

  // Target group attributes: AWS's NLB keys with their defaults, then PROXY protocol v2 on.
  const attrs = async () => Object.fromEntries((await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn }))).Attributes!.map((x) => [x.Key, x.Value]));
  const before = await attrs();
  assert.equal(before['proxy_protocol_v2.enabled'], 'false');
  assert.equal(before['preserve_client_ip.enabled'], 'false');
  assert.equal(before['deregistration_delay.connection_termination.enabled'], 'false');
  assert.equal(before['slow_start.duration_seconds'], undefined, 'no application-only keys on a TCP group');
  await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn, Attributes: [
    { Key: 'proxy_protocol_v2.enabled', Value: 'true' },
    { Key: 'deregistration_delay.connection_termination.enabled', Value: 'true' },
  ] }));
  const after = await attrs();
  assert.equal(after['proxy_protocol_v2.enabled'], 'true');
  assert.equal(after['deregistration_delay.connection_termination.enabled'], 'true');
  assert.equal(s.daemon.control.model.effective.targetGroups.find((g) => g.name === 'tcp-targets')?.attributes.proxyProtocolV2, true, 'the model has it');
  // The change reaches the data plane with the next snapshot: new connections then start with a PROXY v2 header.
  const proxied = await until(async () => {
    const answer = await exchange(port, 'pp', { localAddress: '127.0.0.9' });
    return /^(one|two) 127\.0\.0\.1 127\.0\.0\.9:\d+\npp$/.test(answer) ? answer : undefined;
  }, 'a PROXY v2 header at the target');
  assert.match(proxied, /127\.0\.0\.9:\d+/, 'the header carries the client\'s address');

  // Load balancer attributes of a network load balancer: cross-zone is off by default (as AWS) and can be turned on.
  const lbAttrs = async () => Object.fromEntries((await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Attributes!.map((x) => [x.Key, x.Value]));
  const lbBefore = await lbAttrs();
  assert.equal(lbBefore['load_balancing.cross_zone.enabled'], 'false');
  assert.equal(lbBefore['routing.http2.enabled'], undefined, 'a network load balancer shows no application-only keys');
  assert.equal(lbBefore['idle_timeout.timeout_seconds'], undefined);
  await elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn, Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }] }));
  assert.equal((await lbAttrs())['load_balancing.cross_zone.enabled'], 'true');
  assert.equal(s.daemon.control.model.effective.loadBalancers.find((l) => l.name === 'net')?.attributes.crossZoneEnabled, true);
  await assert.rejects(elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn, Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'maybe' }] })), awsCode('ValidationError'));
});

test('elbv2 SDK: network load balancer mistakes answer AWS\'s error codes', async (t) => {
  const s = await startDaemon('api: { listen: 127.0.0.1:API }\n');
  t.after(() => s.stop());
  const elb = new ElasticLoadBalancingV2Client(sdkConfig(s.daemon));
  const [a, b] = new Zones(s.daemon.control.store).list();
  const nlb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'net', Type: 'network', Subnets: [a!.subnetId] }))).LoadBalancers![0]!;
  const alb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: [a!.subnetId, b!.subnetId] }))).LoadBalancers![0]!;
  const tcp = (await elb.send(new CreateTargetGroupCommand({ Name: 'tcp', Protocol: 'TCP', Port: 7000, TargetType: 'ip' }))).TargetGroups![0]!;
  const http = (await elb.send(new CreateTargetGroupCommand({ Name: 'http', Protocol: 'HTTP', Port: 8000, TargetType: 'ip' }))).TargetGroups![0]!;
  assert.equal(tcp.HealthCheckProtocol, 'TCP', 'a TCP group checks over TCP unless told otherwise (as AWS)');
  const forward = (arn: string | undefined) => [{ Type: 'forward' as const, TargetGroupArn: arn }];
  const pem = await makeCerts({ names: ['nlb.localhost'], caDir: join(s.dir, 'ca'), out: s.dir });
  const cert: Certificate[] = [{ CertificateArn: pem.files[0]!.cert }];
  const listen = async (lbArn: string | undefined, o: { Protocol?: 'HTTP' | 'TCP' | 'TLS'; tg?: string; Certificates?: Certificate[] }) =>
    elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Port: await freePort(), DefaultActions: forward(o.tg ?? tcp.TargetGroupArn), ...(o.Protocol ? { Protocol: o.Protocol } : {}), ...(o.Certificates ? { Certificates: o.Certificates } : {}) }));

  const cases: Array<{ desc: string; call: () => Promise<unknown>; code: string; message: RegExp }> = [
    { desc: 'an HTTP listener on a network load balancer', call: () => listen(nlb.LoadBalancerArn, { Protocol: 'HTTP', tg: http.TargetGroupArn }), code: 'ValidationError', message: /^Listener protocol 'HTTP' must be one of 'TCP, TLS, UDP, TCP_UDP'$/ },
    { desc: 'a TCP listener on an application load balancer', call: () => listen(alb.LoadBalancerArn, { Protocol: 'TCP' }), code: 'ValidationError', message: /^Listener protocol 'TCP' must be one of 'HTTP, HTTPS'$/ },
    { desc: 'a TLS listener without a certificate', call: () => listen(nlb.LoadBalancerArn, { Protocol: 'TLS' }), code: 'ValidationError', message: /^A certificate must be specified for TLS listeners$/ },
    { desc: 'a TCP listener with a certificate', call: () => listen(nlb.LoadBalancerArn, { Protocol: 'TCP', Certificates: cert }), code: 'ValidationError', message: /certificate cannot be specified for TCP listeners/ },
    { desc: 'a TCP listener forwarding to an HTTP group', call: () => listen(nlb.LoadBalancerArn, { Protocol: 'TCP', tg: http.TargetGroupArn }), code: 'IncompatibleProtocols', message: /^The listener and its associated target group '.*targetgroup\/http\/.*' have incompatible protocols$/ },
    { desc: 'a listener naming no protocol on a network load balancer is TCP: an HTTP group does not fit', call: () => listen(nlb.LoadBalancerArn, { tg: http.TargetGroupArn }), code: 'IncompatibleProtocols', message: /incompatible protocols/ },
    { desc: 'a TCP health check with a path', call: () => elb.send(new CreateTargetGroupCommand({ Name: 'bad1', Protocol: 'TCP', Port: 7001, HealthCheckProtocol: 'TCP', HealthCheckPath: '/health' })), code: 'InvalidConfigurationRequest', message: /^Health check paths are not supported for TCP health checks$/ },
    { desc: 'a TCP health check with a matcher', call: () => elb.send(new CreateTargetGroupCommand({ Name: 'bad2', Protocol: 'TCP', Port: 7002, Matcher: { HttpCode: '200' } })), code: 'InvalidConfigurationRequest', message: /^Health check matchers are not supported for TCP health checks$/ },
    { desc: 'a path added to a TCP group\'s TCP check', call: () => elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: tcp.TargetGroupArn, HealthCheckPath: '/x' })), code: 'InvalidConfigurationRequest', message: /Health check paths are not supported for TCP health checks/ },
    { desc: 'an application group\'s attribute on a TCP group', call: () => elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tcp.TargetGroupArn, Attributes: [{ Key: 'slow_start.duration_seconds', Value: '30' }] })), code: 'InvalidConfigurationRequest', message: /^The provided target group attribute is not supported.*slow_start\.duration_seconds/ },
    { desc: 'a network group\'s attribute on an HTTP group', call: () => elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: http.TargetGroupArn, Attributes: [{ Key: 'proxy_protocol_v2.enabled', Value: 'true' }] })), code: 'InvalidConfigurationRequest', message: /^The provided target group attribute is not supported.*proxy_protocol_v2\.enabled/ },
    { desc: 'routing.http2.enabled on a network load balancer', call: () => elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: nlb.LoadBalancerArn, Attributes: [{ Key: 'routing.http2.enabled', Value: 'true' }] })), code: 'InvalidConfigurationRequest', message: /^Load balancer attribute key 'routing\.http2\.enabled' is not supported on load balancers with type 'network'$/ },
    { desc: 'idle_timeout.timeout_seconds on a network load balancer', call: () => elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: nlb.LoadBalancerArn, Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '120' }] })), code: 'InvalidConfigurationRequest', message: /'idle_timeout\.timeout_seconds' is not supported on load balancers with type 'network'/ },
  ];
  for (const c of cases) {
    await assert.rejects(c.call(), awsCode(c.code, c.message), c.desc);
  }
  // Nothing half-made: no listener was added, and the attributes are as they were.
  const model = s.daemon.control.model.effective;
  assert.equal(model.loadBalancers.find((l) => l.name === 'net')?.listeners.length, 0);
  assert.equal(model.loadBalancers.find((l) => l.name === 'web')?.listeners.length, 0);
  assert.equal(model.targetGroups.find((g) => g.name === 'tcp')?.attributes.slowStartSeconds, 0);
  assert.equal(model.targetGroups.find((g) => g.name === 'http')?.attributes.proxyProtocolV2, undefined);
});
