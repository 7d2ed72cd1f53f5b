/**
 * An ECS-style service on two Docker Engines (issue 12's "Done when", the
 * service part): two private dockerd processes stand in for two hosts. A
 * service of 4 tasks with dynamic host ports (bridge mode, hostPort 0) runs
 * two tasks per engine, all on the one host address with ports of their own,
 * registered as ip:port in the target group and serving through the load
 * balancer. A new task definition revision rolls within 100..200 % with zero
 * failed requests; a revision whose container exits at once trips the
 * circuit breaker and rolls back, with the cause in the service's events.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../support/backends.js';
import { buildHelloImage, HELLO_IMAGE, startEngines, type TestEngine } from '../support/docker.js';
import { get, requestLoop, startAsgDaemon, waitFor, type AsgDaemon } from './asg-support.js';
import { L } from '../../src/providers/docker/labels.js';
import { describeService, ecsArns, serviceTasks, describeTask } from '../../src/controlplane/ecs/view.js';

const { engines: [a, b], skip } = await startEngines([['ea'], ['eb']]);

const GROUP = 'ecs/default/web';
const CLI = resolve('dist/src/cli/main.js');
const shoal = async (...args: string[]) => (await promisify(execFile)(process.execPath, [CLI, ...args], { encoding: 'utf8' })).stdout;

function config(o: { lbPort: number; revision: number }): string {
  const container = (env: string, extra = '') => `      - containerDefinitions:
          - name: app
            image: ${HELLO_IMAGE}
            memory: 128
            environment: [{ name: COLOR, value: ${env} }]
            portMappings: [{ containerPort: 8080, hostPort: 0 }]${extra}
`;
  return `stateDir: STATE
api: { listen: 127.0.0.1:API }
zones:
  - { name: zone-a, docker: { host: "${a!.host}" } }
  - { name: zone-b, docker: { host: "${b!.host}" } }
loadBalancers:
  - name: front
    listeners: [{ port: ${o.lbPort}, protocol: HTTP, defaultActions: [{ type: forward, targetGroup: web }] }]
targetGroups:
  - name: web
    port: 80
    healthCheck: { path: /health, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2 }
    attributes: { deregistrationDelaySeconds: 2 }
taskDefinitions:
  - family: web
    revisions:
${container('blue')}${container('green')}${container('broken', '\n            command: [/bin/sh, -c, "echo crashing; exit 3"]')}services:
  - name: web
    taskDefinition: "web:${o.revision}"
    desiredCount: 4
    loadBalancers: [{ targetGroup: web, containerName: app, containerPort: 8080 }]
    deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } }
`;
}

describe('an ECS-style service on two Docker engines', { skip }, () => {
  let s: AsgDaemon;
  let lbPort = 0;

  before(async () => {
    await Promise.all([buildHelloImage(a!), buildHelloImage(b!)]);
    lbPort = await freePort();
    s = await startAsgDaemon(config({ lbPort, revision: 1 }));
  });

  after(async () => {
    await s?.destroy().catch(() => undefined);
    await a?.stop();
    await b?.stop();
  });

  const setRevision = async (revision: number) => {
    writeFileSync(s.configPath, config({ lbPort, revision }).replace('127.0.0.1:API', `127.0.0.1:${s.daemon.control.config.api.listen.split(':')[1]}`).replaceAll('STATE', `${s.dir}/state`));
    assert.deepEqual(await s.daemon.reload(), { ok: true });
  };
  const group = () => s.asg.group(GROUP)!.state;
  const running = async (e: TestEngine) =>
    (await e.docker.listContainers({ filters: { label: [`${L.group}=${GROUP}`], status: ['running'] } })).length;
  const healthy = () => s.daemon.control.describeTargetHealth('web')?.filter((t) => t.targetHealth.state === 'healthy') ?? [];
  const view = () => {
    const svc = s.daemon.control.config.services[0]!;
    return describeService(ecsArns('local-1'), svc, s.daemon.control.ecs.runtime(svc), { createdAt: 0 });
  };
  const versions = () => group().instances.filter((r) => !r.terminating && r.lifecycleState === 'InService').map((r) => r.templateVersion).sort();

  it('4 tasks with dynamic host ports: two per engine, one host address, registered as ip:port, serving', async () => {
    await waitFor('4 healthy targets', () => healthy().length === 4, 120_000);
    assert.deepEqual([await running(a!), await running(b!)], [2, 2]);
    const targets = healthy().map((t) => t.target);
    assert.deepEqual([...new Set(targets.map((t) => t.id))], ['127.0.0.1'], 'the tasks share the host address');
    assert.equal(new Set(targets.map((t) => t.port)).size, 4, 'each task has a port of its own');
    const r = await get(lbPort, '/who');
    assert.equal(r.status, 200);
    const v = view();
    assert.equal(v.runningCount, 4);
    assert.equal((v.deployments as Array<{ status: string; rolloutState: string }>)[0]!.rolloutState, 'COMPLETED');
    const svc = s.daemon.control.config.services[0]!;
    const tasks = serviceTasks(s.daemon.control.ecs.runtime(svc)).map(({ obs, rec }) => describeTask(ecsArns('local-1'), svc, s.daemon.control.config.taskDefinitions[0], obs, rec));
    const bindings = tasks.filter((t) => t.lastStatus === 'RUNNING').map((t) => (t.containers as Array<{ networkBindings: Array<{ hostPort: number; containerPort: number }> }>)[0]!.networkBindings[0]!);
    assert.equal(bindings.length, 4);
    assert.deepEqual(bindings.map((x) => x.hostPort).sort(), targets.map((t) => t.port).sort(), 'DescribeTasks shows the registered host ports');
    assert.ok(bindings.every((x) => x.containerPort === 8080));
    const table = await shoal('services', '-f', s.configPath);
    assert.match(table, /^SERVICE\s+CLUSTER\s+TASK DEFINITION\s+DESIRED\s+RUNNING\s+PENDING\s+ROLLOUT\nweb\s+default\s+web:1\s+4\s+4\s+0\s+COMPLETED$/m);
    const listed = await shoal('tasks', 'web', '-f', s.configPath);
    assert.equal(listed.split('\n').filter((l) => /RUNNING\s+HEALTHY/.test(l) && /127\.0\.0\.1:\d+/.test(l)).length, 4, listed);
  });

  it('stop-task stops a task and the service starts a replacement', async () => {
    const svc = s.daemon.control.config.services[0]!;
    const victim = group().instances.find((r) => r.lifecycleState === 'InService')!.instanceId;
    const out = await shoal('stop-task', victim.slice(2), '-f', s.configPath);
    assert.match(out, /stopping/);
    await waitFor('4 healthy tasks without the stopped one', () => healthy().length === 4 && !group().instances.some((r) => r.instanceId === victim), 120_000);
    const stopped = s.daemon.control.ecs.describeTasks('local-1', (x) => x.name === svc.name).find((t) => String(t.taskArn).endsWith(victim.slice(2)));
    assert.equal(stopped?.lastStatus, 'STOPPED');
  });

  it('a new revision rolls over with zero failed requests', async () => {
    const loop = requestLoop(lbPort);
    await setRevision(2);
    await waitFor('the deployment to revision 2 to succeed', () => group().refreshes?.[0]?.status === 'Successful' && versions().join() === '2,2,2,2', 240_000);
    await waitFor('4 healthy targets', () => healthy().length === 4, 60_000);
    const { ok, failed } = await loop.stop();
    assert.deepEqual(failed, [], `${failed.length} failed of ${ok + failed.length}`);
    assert.ok(ok > 50, `only ${ok} requests`);
    const r = await get(lbPort, '/who');
    assert.match(r.body, /template version 2,/);
    assert.equal((view().deployments as unknown[]).length, 1, 'one deployment left: the PRIMARY');
  });

  it('a revision whose tasks keep failing trips the circuit breaker and rolls back, with the cause in the events', async () => {
    const loop = requestLoop(lbPort);
    await setRevision(3);
    await waitFor('the rollback to finish', () => group().refreshes?.[0]?.status === 'RollbackSuccessful', 300_000);
    await waitFor('4 tasks on revision 2 again', () => versions().join() === '2,2,2,2', 120_000);
    const { failed } = await loop.stop();
    assert.deepEqual(failed, [], 'the old tasks kept serving throughout');
    const v = view();
    const events = (v.events as Array<{ message: string }>).map((e) => e.message);
    assert.ok(events.some((m) => /deployment failed: .*circuit breaker tripped/.test(m)), events.slice(0, 8).join('\n'));
    assert.equal((v.deployments as Array<{ rolloutState: string }>)[0]!.rolloutState, 'FAILED');
    assert.match(String(v.taskDefinition), /task-definition\/web:2$/, 'the service runs the revision it rolled back to');
    assert.match(await shoal('services', 'web', '-f', s.configPath), /PRIMARY web:2 .*FAILED: ECS deployment circuit breaker/);
  });
});
