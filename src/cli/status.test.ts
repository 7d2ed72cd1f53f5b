import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LoadBalancer } from '../model/load-balancer.js';
import type { ResourceRecord } from '../resources/records.js';
import { statusTree } from '../controlplane/status.js';
import { statusText } from './status.js';

const forward = (tg: string) => ({ type: 'forward' as const, targetGroups: [{ targetGroup: tg, weight: 1 }] });
const LB: LoadBalancer = {
  name: 'web', type: 'application', bindAddress: '127.0.0.1', attributes: {} as LoadBalancer['attributes'],
  listeners: [{
    port: 8080, protocol: 'HTTP', defaultActions: [forward('app')],
    rules: [
      { priority: 20, conditions: [{ field: 'host-header', values: ['a.example'] }], actions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '404', contentType: 'text/plain', messageBody: '' } }] },
      { priority: 10, conditions: [{ field: 'path-pattern', values: ['/api/*'] }, { field: 'http-request-method', values: ['GET', 'POST'] }], actions: [forward('api')] },
    ],
  }],
};

function tree() {
  return statusTree({
    loadBalancers: [LB],
    targetGroups: [{ name: 'app', protocol: 'HTTP', port: 80 } as never],
    health: () => [{ target: { id: '127.0.1.10', port: 80 }, healthCheckPort: '80', targetHealth: { state: 'unhealthy', reason: 'Target.Timeout', description: 'Request timed out' } }],
    groups: [{
      AutoScalingGroupName: 'fleet', MinSize: 1, MaxSize: 4, DesiredCapacity: 2, Status: ['Capacity 1 of desired 2: converging'],
      Instances: [
        { InstanceId: 'i-0b', AvailabilityZone: 'zone-b', LifecycleState: 'Pending', HealthStatus: 'Healthy' },
        { InstanceId: 'i-0a', AvailabilityZone: 'zone-a', LifecycleState: 'InService', HealthStatus: 'Healthy', Target: '127.0.1.10:80', TargetHealth: 'app=unhealthy' },
      ],
    }],
    record: (kind, name) => ({ owner: kind === 'autoScalingGroups' ? { kind: 'api' } : { kind: 'file', file: 'shoal.yaml', line: name === 'web' ? 3 : 12 } }) as ResourceRecord,
    zones: [{ name: 'zone-a', index: 0, zoneId: 'shoal-az1', subnetId: 'subnet-a', cidr: '127.0.1.0/24' }, { name: 'zone-b', index: 1, zoneId: 'shoal-az2', subnetId: 'subnet-b', cidr: '127.0.2.0/24' }],
    snapshotVersion: 7,
  });
}

test('status tree: rules in priority order with what they match and do, owners, capacity and zones', () => {
  const t = tree();
  assert.deepEqual(t.loadBalancers[0]!.listeners[0]!.rules, [
    { priority: 10, matches: 'path-pattern /api/* and http-request-method GET or POST', action: 'forward to api' },
    { priority: 20, matches: 'host-header a.example', action: 'answer 404' },
    { priority: 'default', matches: 'anything else', action: 'forward to app' },
  ]);
  assert.equal(t.loadBalancers[0]!.owner, 'shoal.yaml:3');
  assert.equal(t.autoScalingGroups[0]!.owner, 'api');
  assert.equal(t.autoScalingGroups[0]!.inService, 1);
  assert.deepEqual(t.autoScalingGroups[0]!.instances.map((i) => i.instanceId), ['i-0a', 'i-0b'], 'by zone');
  assert.deepEqual(t.zones.map((z) => z.instances), [1, 1]);
});

test('shoal status prints the tree', () => {
  assert.equal(statusText(tree()), [
    'load balancer web (application; shoal.yaml:3)',
    '└─ HTTP 127.0.0.1:8080',
    '   ├─ 10       path-pattern /api/* and http-request-method GET or POST  -> forward to api',
    '   ├─ 20       host-header a.example                                    -> answer 404',
    '   └─ default  anything else                                            -> forward to app',
    'target group app (HTTP:80; shoal.yaml:12)',
    '└─ 127.0.1.10:80  unhealthy  Target.Timeout: Request timed out',
    'Auto Scaling group fleet (api): 1 InService, desired 2 (min 1, max 4)',
    '├─ zone-a',
    '│  └─ i-0a  InService  Healthy  127.0.1.10:80  app=unhealthy',
    '├─ zone-b',
    '│  └─ i-0b  Pending  Healthy',
    '└─ ! Capacity 1 of desired 2: converging',
    'zones',
    '├─ zone-a  subnet-a  127.0.1.0/24  1 instance',
    '└─ zone-b  subnet-b  127.0.2.0/24  1 instance',
  ].join('\n'));
});
