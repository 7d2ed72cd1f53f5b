/**
 * A remote-style Docker engine: a private dockerd reached over tcp:// with
 * TLS client certificates (--tlsverify), on bridge networking (a bridge of
 * the test's own), as a zone's defaults for a tcp:// engine have it: an ECS-style service's tasks all listen on the same
 * container port (8080, HOST=0.0.0.0) inside their containers, each published
 * by the engine on a dynamic host port of 127.0.0.1, and the published port
 * is what gets registered in the target group and shown in DescribeTasks'
 * networkBindings, as ECS's dynamic port mapping does. A restarted daemon
 * adopts the tasks at the same published ports. A task whose container's
 * HEALTHCHECK fails is replaced, with the reason in the activity.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../support/backends.js';
import { buildHelloImage, HELLO_IMAGE, startEngines } from '../support/docker.js';
import { get, startAsgDaemon, waitFor, type AsgDaemon } from './asg-support.js';
import { L } from '../../src/providers/docker/labels.js';

const { engines: [engine], skip } = await startEngines([['br', { bridge: true, tls: true }]]);

const GROUP = 'ecs/default/web';

describe('an engine over tcp+TLS with bridge networking: published dynamic host ports', { skip }, () => {
  let s: AsgDaemon;
  let yaml = '';
  let lbPort = 0;

  before(async () => {
    await buildHelloImage(engine!);
    lbPort = await freePort();
    yaml = `stateDir: STATE
api: { listen: 127.0.0.1:API }
zones:
  - name: zone-a
    docker:
      host: "${engine!.host}"
      tls: { ca: "${engine!.tls!.ca}", cert: "${engine!.tls!.cert}", key: "${engine!.tls!.key}" }
loadBalancers:
  - name: front
    listeners: [{ port: ${lbPort}, protocol: HTTP, defaultActions: [{ type: forward, targetGroup: web }] }]
targetGroups:
  - name: web
    port: 80
    healthCheck: { path: /health, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2 }
    attributes: { deregistrationDelaySeconds: 1 }
taskDefinitions:
  - family: web
    revisions:
      - containerDefinitions:
          - { name: app, image: ${HELLO_IMAGE}, memory: 128, portMappings: [{ containerPort: 8080, hostPort: 0 }] }
  - family: sick
    revisions:
      - containerDefinitions:
          - name: app
            image: ${HELLO_IMAGE}
            memory: 128
            portMappings: [{ containerPort: 8080 }]
            healthCheck: { command: [CMD-SHELL, "exit 1"], interval: 5, timeout: 2, retries: 1 }
services:
  - name: sick
    taskDefinition: sick
    desiredCount: 1
  - name: web
    taskDefinition: web
    desiredCount: 3
    loadBalancers: [{ targetGroup: web, containerName: app, containerPort: 8080 }]
`;
    s = await startAsgDaemon(yaml);
  });

  after(async () => {
    await s?.destroy().catch(() => undefined);
    await engine?.stop();
  });

  const healthy = () => s.daemon.control.describeTargetHealth('web')?.filter((t) => t.targetHealth.state === 'healthy') ?? [];

  it('three tasks on container port 8080, published on three host ports, registered and serving', async () => {
    await waitFor('3 healthy targets', () => healthy().length === 3, 120_000);
    const targets = healthy().map((t) => t.target);
    assert.deepEqual([...new Set(targets.map((t) => t.id))], ['127.0.0.1']);
    assert.equal(new Set(targets.map((t) => t.port)).size, 3);
    const containers = await engine!.docker.listContainers({ filters: { status: ['running'], label: [`${L.group}=${GROUP}`] } });
    const published = containers.flatMap((c) => c.Ports.filter((p) => p.PublicPort).map((p) => ({ inside: p.PrivatePort, outside: p.PublicPort })));
    assert.deepEqual(published.map((p) => p.inside), [8080, 8080, 8080]);
    assert.deepEqual(published.map((p) => p.outside).sort(), targets.map((t) => t.port).sort(), 'the published ports are the registered ones');
    const r = await get(lbPort, '/who');
    assert.equal(r.status, 200);
    assert.match(r.body, /\(0\.0\.0\.0:8080, zone zone-a/, 'the app listens on its container port');
    const tasks = s.daemon.control.ecs.describeTasks('local-1', (x) => x.name === 'web').filter((t) => t.lastStatus === 'RUNNING');
    const bindings = tasks.map((t) => (t.containers as Array<{ networkBindings: Array<{ bindIP: string; hostPort: number; containerPort: number }> }>)[0]!.networkBindings[0]!);
    assert.deepEqual(bindings.map((b) => b.containerPort), [8080, 8080, 8080]);
    assert.deepEqual(bindings.map((b) => b.hostPort).sort(), targets.map((t) => t.port).sort());
  });

  it('a task whose container health check fails is stopped and replaced', async () => {
    const sick = () => s.asg.group('ecs/default/sick')!.state;
    const first = await waitFor('the sick service\'s task', () => sick().instances[0]?.instanceId, 60_000);
    await waitFor('its replacement', () => !sick().instances.some((r) => r.instanceId === first) && sick().instances.length > 0, 120_000);
    const acts = s.asg.activities.list(sick(), 50);
    assert.ok(acts.some((a) => a.Description === `Terminating EC2 instance: ${first}` && /container health checks/.test(a.StatusMessage ?? '')), JSON.stringify(acts.slice(0, 4)));
  });

  it('a restarted daemon adopts the tasks at their published ports', async () => {
    const before = healthy().map((t) => `${t.target.id}:${t.target.port}`).sort();
    const ids = s.asg.group(GROUP)!.state.instances.map((r) => r.instanceId).sort();
    await s.stop();
    s = await startAsgDaemon(yaml, s.dir);
    await waitFor('3 healthy targets again', () => healthy().length === 3, 60_000);
    assert.deepEqual(healthy().map((t) => `${t.target.id}:${t.target.port}`).sort(), before);
    assert.deepEqual(s.asg.group(GROUP)!.state.instances.map((r) => r.instanceId).sort(), ids, 'the same tasks, none launched');
    const obs = await s.asg.provider.describe(ids[0]!);
    assert.ok(obs && before.includes(`${obs.host}:${obs.port}`), `adopted at ${obs?.host}:${obs?.port}`);
  });
});
