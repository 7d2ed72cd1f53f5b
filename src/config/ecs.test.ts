/**
 * The ECS sections: a service compiles into the launch template and group
 * that run its tasks; bad references fail at file:line with the field path.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from './errors.js';
import { parseConfig } from './load.js';

const BASE = `zones:
  - { name: zone-a, docker: { host: "unix:///run/a.sock" } }
  - { name: zone-b, docker: { host: "unix:///run/b.sock" } }
targetGroups: [{ name: web, port: 80 }]
taskDefinitions:
  - family: web
    revisions:
      - containerDefinitions:
          - { name: app, image: shoal/web:1, memory: 128, cpu: 512, command: [/bin/app, --fast], portMappings: [{ containerPort: 8080 }] }
      - cpu: "0.5 vCPU"
        memory: 1 GB
        containerDefinitions:
          - name: app
            image: shoal/web:2
            environment: [{ name: COLOR, value: blue }]
            portMappings: [{ containerPort: 8080 }]
            healthCheck: { command: [CMD-SHELL, "wget -q -O- localhost:$PORT"] }
`;

const service = (fields: string) => `${BASE}services:\n  - { name: api, taskDefinition: web, desiredCount: 4, loadBalancers: [{ targetGroup: web, containerName: app, containerPort: 8080 }]${fields} }\n`;

function issues(yaml: string): string[] {
  try {
    parseConfig(yaml, 'shoal.yaml');
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map((i) => `${i.line}:${i.path}: ${i.message}`);
  }
  assert.fail('expected a ConfigError');
}

describe('ECS config', () => {
  it('a service runs as a group in the default cluster, one launch template version per revision', () => {
    const c = parseConfig(service(''), 'shoal.yaml');
    assert.deepEqual(c.clusters, [{ name: 'default', availabilityZones: ['zone-a', 'zone-b'], tags: {} }]);
    assert.deepEqual(c.services[0]!.taskDefinition, { family: 'web', revision: 2 });
    const g = c.autoScalingGroups.find((x) => x.name === 'ecs/default/api')!;
    assert.deepEqual(
      { lt: g.launchTemplate, min: g.minSize, max: g.maxSize, desired: g.desiredCapacity, zones: g.availabilityZones, tgs: g.targetGroups, hc: g.healthCheckType, owner: g.ecsService },
      { lt: { name: 'ecs/default/api', version: 2 }, min: 0, max: 4, desired: 4, zones: ['zone-a', 'zone-b'], tgs: ['web'], hc: 'ELB', owner: { cluster: 'default', service: 'api' } },
    );
    const lt = c.launchTemplates.find((x) => x.name === 'ecs/default/api')!;
    assert.equal(lt.versions.length, 2);
    const [v1, v2] = lt.versions;
    assert.equal(v1!.imageId, 'docker:shoal/web:1');
    assert.equal(v1!.portMode, 'dynamic', 'bridge mode without a host port: a dynamic port');
    assert.deepEqual(v1!.container, { command: ['/bin/app', '--fast'], vcpus: 0.5, memoryMiB: 128, labels: {}, port: 8080, stopTimeoutSeconds: 30 });
    assert.deepEqual(v2!.environment, { COLOR: 'blue' });
    assert.deepEqual([v2!.container?.vcpus, v2!.container?.memoryMiB], [0.5, 1024], 'task-level "0.5 vCPU" and "1 GB"');
    assert.deepEqual(v2!.container?.healthCheck, { test: ['CMD-SHELL', 'wget -q -O- localhost:$PORT'], interval: 30, timeout: 5, retries: 3, startPeriod: 0 });
    assert.equal(v2!.tags['ecs:taskDefinition'], 'web:2');
  });

  it('service auto scaling becomes the group\'s bounds and target tracking policies', () => {
    const c = parseConfig(service(', autoScaling: { minCapacity: 2, maxCapacity: 8, targetTrackingPolicies: [{ policyName: cpu, predefinedMetricType: ECSServiceAverageCPUUtilization, targetValue: 50 }] }'), 'shoal.yaml');
    const g = c.autoScalingGroups.find((x) => x.name === 'ecs/default/api')!;
    assert.equal(g.minSize, 2);
    assert.equal(g.maxSize, 8);
    const p = g.scalingPolicies[0]!;
    assert.equal(p.policyType, 'TargetTrackingScaling');
    assert.equal(p.policyType === 'TargetTrackingScaling' && p.targetTrackingConfiguration.predefinedMetricType, 'ASGAverageCPUUtilization');
  });

  it('host and awsvpc modes: each task listens on its own address at the container port', () => {
    const yaml = service('').replace('      - containerDefinitions:\n          - { name: app', '      - networkMode: awsvpc\n        containerDefinitions:\n          - { name: app');
    const v1 = parseConfig(yaml, 'shoal.yaml').launchTemplates.find((x) => x.name === 'ecs/default/api')!.versions[0]!;
    assert.equal(v1.portMode, 'host');
    assert.equal(v1.container?.port, 8080);
  });

  it('bad references name the line and field', () => {
    assert.match(issues(service('').replace('taskDefinition: web,', 'taskDefinition: wbe,')).join('\n'), /^19:services\[0\]\.taskDefinition: task definition family "wbe" is not defined \(did you mean "web"\?\)/);
    assert.match(issues(service('').replace('taskDefinition: web,', 'taskDefinition: "web:3",')).join('\n'), /services\[0\]\.taskDefinition: web has 2 revisions \(got revision 3\)/);
    assert.match(issues(service('').replace('containerName: app', 'containerName: ap')).join('\n'), /services\[0\]\.loadBalancers\[0\]\.containerName: the task definition's container is "app" \(got "ap"\)/);
    assert.match(issues(service('').replace(/containerPort: 8080 \}\] \}\n$/, 'containerPort: 9090 }] }\n')).join('\n'), /containerPort 8080 \(got 9090\)/);
    assert.match(issues(service(', cluster: prod')).join('\n'), /services\[0\]\.cluster: cluster "prod" is not defined/);
    assert.match(issues(`${service('')}clusters: [{ name: default, availabilityZones: [zone-c] }]\n`).join('\n'), /clusters\[0\]\.availabilityZones\[0\]: zone "zone-c" has no Docker engine/);
    const noEngines = service(', cluster: prod').replace(/zones:\n(  - .*\n)+/, '');
    assert.match(issues(`${noEngines}clusters: [{ name: prod }]\n`).join('\n'), /services\[0\]\.cluster: cluster "prod" runs its tasks in the zones with a Docker engine, and no zone has one/);
    assert.match(issues(service(', deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 100 }')).join('\n'), /maximumPercent: must be above 100 when minimumHealthyPercent is 100/);
    assert.match(issues(service(', desiredCount: 9, autoScaling: { minCapacity: 1, maxCapacity: 4 }').replace('desiredCount: 4, ', '')).join('\n'), /desiredCount: must be from autoScaling\.minCapacity to maxCapacity: 1 to 4 \(got 9\)/);
  });

  it('one container per task, said plainly', () => {
    const two = BASE.replace("          - { name: app, image: shoal/web:1, memory: 128, cpu: 512, command: [/bin/app, --fast], portMappings: [{ containerPort: 8080 }] }\n",
      '          - { name: app, image: shoal/web:1 }\n          - { name: side, image: shoal/side:1 }\n');
    assert.match(issues(two).join('\n'), /taskDefinitions\[0\]\.revisions\[0\]\.containerDefinitions: must have exactly 1 container definition \(one container per task here/);
  });
});
