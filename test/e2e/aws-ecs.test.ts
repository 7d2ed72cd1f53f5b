/**
 * The ECS API (JSON 1.1) against a real daemon, through the AWS SDK for
 * JavaScript v3 (@aws-sdk/client-ecs), Debian's AWS CLI v2 and a raw signed
 * request (the wire: content types and error bodies).
 *
 * The control-plane part needs no Docker: its zone names an engine socket
 * that is not there, so services are made, described, changed and deleted
 * while their tasks fail to place. The second part runs one real task on a
 * private Docker engine (support/docker.ts): CreateService behind a load
 * balancer, the task in ListTasks/DescribeTasks and answering through the
 * load balancer, StopTask and its replacement. It skips only where dockerd
 * cannot run (CI installs docker.io, so there it runs).
 */
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateClusterCommand, CreateServiceCommand, DeleteClusterCommand, DeleteServiceCommand, DeregisterTaskDefinitionCommand,
  DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient,
  ListClustersCommand, ListServicesCommand, ListTaskDefinitionsCommand, ListTasksCommand, RegisterTaskDefinitionCommand,
  StopTaskCommand, UpdateServiceCommand, type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/log.js';
import { seededRandom } from '../../src/core/random.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { freePort } from '../support/backends.js';
import { awsCli, awsCliError, endpointUrl, sdkConfig, TEST_CREDENTIALS } from '../support/aws.js';
import { buildHelloImage, HELLO_IMAGE, startEngines } from '../support/docker.js';
import { get, sweep, waitFor } from './asg-support.js';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';

async function startDaemon(yaml: string): Promise<{ daemon: Daemon; destroy(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-ecs-'));
  writeFileSync(join(dir, 'shoal.yaml'), `api: { listen: 127.0.0.1:${await freePort()} }\nstateDir: ${join(dir, 'state')}\n${yaml}`);
  const daemon = await Daemon.start({
    configPath: join(dir, 'shoal.yaml'), clock: systemClock, random: seededRandom(process.pid), log: silentLogger, workers: 0,
    autoScaling: { metadata: { host: '127.0.0.1', port: 0 }, stopTimeoutMs: 3000, intervalMs: 250 },
  });
  return {
    daemon,
    destroy: async () => {
      await daemon.control.autoScalingService?.terminateAll(3000);
      await daemon.stop(2000);
      await sweep(join(dir, 'state'));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const taskDefinition = (image: string): RegisterTaskDefinitionCommandInput => ({
  family: 'web', requiresCompatibilities: ['EC2'], cpu: '256', memory: '256',
  containerDefinitions: [{
    name: 'app', image, essential: true, portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
    environment: [{ name: 'GREETING', value: 'hi' }], mountPoints: [], volumesFrom: [],
  }],
});

const code = (p: Promise<unknown>) => p.then(() => 'no error', (e: Error) => e.name);

/** A signed JSON 1.1 call as any client sends it; the raw answer. */
async function rawCall(daemon: Daemon, op: string, body: unknown): Promise<{ status: number; type: string | null; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const url = new URL(endpointUrl(daemon));
  const signer = new SignatureV4({ service: 'ecs', region: 'us-east-1', credentials: TEST_CREDENTIALS, sha256: Hash.bind(null, 'sha256') });
  const text = JSON.stringify(body);
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/',
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonEC2ContainerServiceV20141113.${op}` }, body: text,
  });
  const r = await fetch(url, { method: 'POST', headers: signed.headers as Record<string, string>, body: text });
  return { status: r.status, type: r.headers.get('content-type'), body: await r.json() };
}

test('ECS through the SDK v3, the AWS CLI and the wire: clusters, task definitions, services and their errors', async (t) => {
  const s = await startDaemon(`zones:
  - name: zone-a
    docker: { host: "unix:///nonexistent/shoal-ecs-test.sock" }
targetGroups:
  - name: web
    port: 8080
`);
  t.after(s.destroy);
  const ecs = new ECSClient(sdkConfig(s.daemon));
  const elbv2 = new ElasticLoadBalancingV2Client(sdkConfig(s.daemon));
  const tgArn = (await elbv2.send(new DescribeTargetGroupsCommand({ Names: ['web'] }))).TargetGroups![0]!.TargetGroupArn!;

  // Clusters.
  const cluster = (await ecs.send(new CreateClusterCommand({ clusterName: 'prod', tags: [{ key: 'env', value: 'prod' }] }))).cluster!;
  assert.equal(cluster.clusterArn, 'arn:aws:ecs:us-east-1:000000000000:cluster/prod');
  assert.equal((await ecs.send(new CreateClusterCommand({ clusterName: 'prod' }))).cluster!.clusterArn, cluster.clusterArn, 'CreateCluster again answers the cluster');
  assert.deepEqual((await ecs.send(new ListClustersCommand({}))).clusterArns, [cluster.clusterArn]);
  const described = await ecs.send(new DescribeClustersCommand({ clusters: ['prod', 'nope'], include: ['TAGS'] }));
  assert.deepEqual(described.clusters!.map((c) => [c.clusterName, c.status, c.tags]), [['prod', 'ACTIVE', [{ key: 'env', value: 'prod' }]]]);
  assert.deepEqual(described.failures, [{ arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/nope', reason: 'MISSING' }]);

  // Task definitions.
  const td = (await ecs.send(new RegisterTaskDefinitionCommand(taskDefinition('shoal-test/hello:1')))).taskDefinition!;
  assert.equal(td.taskDefinitionArn, 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:1');
  assert.ok(td.registeredAt instanceof Date, 'a timestamp the SDK parsed');
  await ecs.send(new RegisterTaskDefinitionCommand(taskDefinition('shoal-test/hello:2')));
  assert.equal((await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }))).taskDefinition!.revision, 2);
  assert.equal(await code(ecs.send(new RegisterTaskDefinitionCommand({
    ...taskDefinition('x:1'), containerDefinitions: [{ ...taskDefinition('x:1').containerDefinitions![0]!, logConfiguration: { logDriver: 'awslogs' } }],
  }))), 'ClientException');

  // Services: create behind the target group, update, delete.
  const svc = (await ecs.send(new CreateServiceCommand({
    cluster: 'prod', serviceName: 'api', taskDefinition: 'web:1', desiredCount: 1,
    loadBalancers: [{ targetGroupArn: tgArn, containerName: 'app', containerPort: 8080 }],
    deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
  }))).service!;
  assert.equal(svc.serviceArn, 'arn:aws:ecs:us-east-1:000000000000:service/prod/api');
  assert.deepEqual(svc.loadBalancers, [{ targetGroupArn: tgArn, containerName: 'app', containerPort: 8080 }]);
  assert.equal(svc.deploymentConfiguration!.deploymentCircuitBreaker!.rollback, true);
  assert.ok(s.daemon.control.autoScalingService?.group('ecs/prod/api'), 'the service runs as its internal group');
  const updated = (await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'api', taskDefinition: 'web', desiredCount: 0 }))).service!;
  assert.equal(updated.taskDefinition, 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:2');
  assert.equal(updated.desiredCount, 0);
  assert.deepEqual((await ecs.send(new ListServicesCommand({ cluster: cluster.clusterArn }))).serviceArns, [svc.serviceArn]);

  // The AWS CLI reads the same (its own botocore and JSON 1.1 parser).
  const cli = await awsCli(s.daemon, ['ecs', 'describe-services', '--cluster', 'prod', '--services', 'api']);
  assert.equal(cli.services[0].taskDefinition, updated.taskDefinition);
  assert.equal(cli.services[0].desiredCount, 0);
  const listed = await awsCli(s.daemon, ['ecs', 'list-task-definitions', '--family-prefix', 'web']);
  assert.deepEqual(listed.taskDefinitionArns.map((a: string) => a.replace(/^.*\//, '')), ['web:1', 'web:2']);
  assert.match(await awsCliError(s.daemon, ['ecs', 'describe-services', '--cluster', 'nope', '--services', 'api']), /ClusterNotFoundException/);

  // Errors by their codes, as the SDK names them.
  assert.equal(await code(ecs.send(new ListServicesCommand({ cluster: 'nope' }))), 'ClusterNotFoundException');
  assert.equal(await code(ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'nope', desiredCount: 1 }))), 'ServiceNotFoundException');
  assert.equal(await code(ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'api', taskDefinition: 'web' }))), 'InvalidParameterException');
  assert.equal(await code(ecs.send(new DeleteClusterCommand({ cluster: 'prod' }))), 'ClusterContainsServicesException');
  await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'api', desiredCount: 1 }));
  const refused = await ecs.send(new DeleteServiceCommand({ cluster: 'prod', service: 'api' })).catch((e: Error) => e);
  assert.equal((refused as Error).name, 'InvalidParameterException');
  assert.match((refused as Error).message, /^The service cannot be stopped while it is scaled above 0\./);
  assert.equal((await ecs.send(new DeleteServiceCommand({ cluster: 'prod', service: 'api', force: true }))).service!.status, 'DRAINING');
  assert.equal((await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['api'] }))).services![0]!.status, 'INACTIVE');
  assert.equal(await code(ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'api', desiredCount: 1 }))), 'ServiceNotActiveException');
  assert.equal((await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:1' }))).taskDefinition!.status, 'INACTIVE');
  assert.deepEqual((await ecs.send(new ListTaskDefinitionsCommand({ status: 'INACTIVE' }))).taskDefinitionArns, ['arn:aws:ecs:us-east-1:000000000000:task-definition/web:1']);
  assert.equal((await ecs.send(new DeleteClusterCommand({ cluster: 'prod' }))).cluster!.status, 'INACTIVE');

  // The wire: JSON 1.1 both ways; errors as {"__type", "message"} with no query-compatibility header.
  const ok = await rawCall(s.daemon, 'ListClusters', {});
  assert.equal(ok.status, 200);
  assert.equal(ok.type, 'application/x-amz-json-1.1');
  const bad = await rawCall(s.daemon, 'DescribeServices', { cluster: 'nope', services: ['api'] });
  assert.equal(bad.status, 400);
  assert.equal(bad.type, 'application/x-amz-json-1.1');
  assert.match(bad.body.__type, /#ClusterNotFoundException$/);
  assert.match(bad.body.message, /nope/);
  const invalid = await rawCall(s.daemon, 'DescribeServices', {});
  assert.match(invalid.body.__type, /#ValidationException$/, 'the model\'s checks, in a JSON service\'s words');
  assert.match((await rawCall(s.daemon, 'RunTask', {})).body.__type, /UnsupportedOperation$/);
});

const { engines: [engine], skip } = await startEngines([['ecs']]);

describe('an ECS service running a real task on a Docker engine', { skip }, () => {
  let s: Awaited<ReturnType<typeof startDaemon>>;
  let lbPort = 0;
  let ecs: ECSClient;

  before(async () => {
    await buildHelloImage(engine!);
    lbPort = await freePort();
    s = await startDaemon(`zones:
  - name: zone-a
    docker: { host: "${engine!.host}" }
loadBalancers:
  - name: front
    listeners: [{ port: ${lbPort}, protocol: HTTP, defaultActions: [{ type: forward, targetGroup: web }] }]
targetGroups:
  - name: web
    port: 8080
    healthCheck: { path: /health, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2 }
    attributes: { deregistrationDelaySeconds: 1 }
`);
    ecs = new ECSClient(sdkConfig(s.daemon));
  });

  after(async () => {
    await s?.destroy().catch(() => undefined);
    await engine?.stop();
  });

  const running = async () => (await ecs.send(new ListTasksCommand({ serviceName: 'hello' }))).taskArns ?? [];

  it('CreateService runs the task behind the load balancer; StopTask stops it and the service replaces it', async () => {
    await ecs.send(new RegisterTaskDefinitionCommand(taskDefinition(HELLO_IMAGE)));
    const tg = (await new ElasticLoadBalancingV2Client(sdkConfig(s.daemon)).send(new DescribeTargetGroupsCommand({ Names: ['web'] }))).TargetGroups![0]!;
    await ecs.send(new CreateServiceCommand({
      serviceName: 'hello', taskDefinition: 'web', desiredCount: 1,
      loadBalancers: [{ targetGroupArn: tg.TargetGroupArn, containerName: 'app', containerPort: 8080 }],
    }));
    const [first] = await waitFor('one task listed', async () => ((await running()).length === 1 ? await running() : undefined), 60_000);
    await waitFor('the task RUNNING and HEALTHY', async () => {
      const t = (await ecs.send(new DescribeTasksCommand({ tasks: [first!] }))).tasks![0]!;
      return t.lastStatus === 'RUNNING' && t.healthStatus === 'HEALTHY';
    }, 120_000);
    const task = (await ecs.send(new DescribeTasksCommand({ tasks: [first!] }))).tasks![0]!;
    assert.equal(task.containers![0]!.image, HELLO_IMAGE);
    assert.equal(task.group, 'service:hello');
    const id = first!.replace(/^.*\//, '');
    const r = await waitFor('an answer through the load balancer', async () => {
      const x = await get(lbPort, '/who').catch(() => undefined);
      return x?.status === 200 ? x : undefined;
    }, 60_000);
    assert.match(r.body, new RegExp(`i-${id}`), 'the task answered');
    const service = (await ecs.send(new DescribeServicesCommand({ services: ['hello'] }))).services![0]!;
    assert.equal(service.runningCount, 1);
    assert.ok(service.events!.some((e) => /has started 1 tasks/.test(e.message!)), JSON.stringify(service.events));

    const stopped = (await ecs.send(new StopTaskCommand({ task: first!, reason: 'e2e' }))).task!;
    assert.equal(stopped.desiredStatus, 'STOPPED');
    const [next] = await waitFor('a replacement task', async () => {
      const now = await running();
      return now.length === 1 && now[0] !== first ? now : undefined;
    }, 120_000);
    assert.notEqual(next, first);
    await waitFor('the stopped task listed as STOPPED', async () =>
      ((await ecs.send(new ListTasksCommand({ serviceName: 'hello', desiredStatus: 'STOPPED' }))).taskArns ?? []).includes(first!), 60_000);
    const gone = (await ecs.send(new DescribeTasksCommand({ tasks: [first!] }))).tasks![0]!;
    assert.deepEqual([gone.desiredStatus, gone.stopCode, gone.stoppedReason], ['STOPPED', 'UserInitiated', 'e2e']);

    await ecs.send(new DeleteServiceCommand({ service: 'hello', force: true }));
    await waitFor('no container left on the engine', async () => (await engine!.docker.listContainers()).length === 0, 60_000);
  });
});
