/** Good configs normalize to the model with AWS's defaults filled in. */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parseConfig } from './load.js';

const FILE = '/etc/shoal/shoal.yaml';

describe('parseConfig defaults', () => {
  it('an empty file is an empty config with api, data plane and state dir defaults', () => {
    assert.deepEqual(parseConfig('', FILE), {
      api: { listen: '127.0.0.1:4566', credentials: [{ accessKeyId: 'test', secretAccessKey: 'test' }], allowedHosts: [], allowUnsigned: false, metrics: { public: false } },
      dataPlane: { workers: 'auto' },
      stateDir: '/etc/shoal/.shoal',
      zones: [],
      loadBalancers: [],
      targetGroups: [],
      launchTemplates: [],
      autoScalingGroups: [],
      alarms: [],
      clusters: [],
      taskDefinitions: [],
      services: [],
    });
  });

  it('stateDir resolves against the config file directory; absolute paths stay', () => {
    assert.equal(parseConfig('stateDir: data/state\n', FILE).stateDir, '/etc/shoal/data/state');
    assert.equal(parseConfig('stateDir: /var/lib/shoal\n', FILE).stateDir, '/var/lib/shoal');
    assert.equal(parseConfig('', 'shoal.yaml').stateDir, resolve('.shoal'));
  });

  it('a minimal load balancer and target group get ALB defaults', () => {
    const cfg = parseConfig(`
loadBalancers:
  - name: web
    listeners:
      - port: 80
        defaultActions: [{ type: forward, targetGroup: app }]
targetGroups:
  - name: app
    port: 4000
    targets: [{ id: 10.0.0.1 }, { id: "::1", port: 4001 }]
`, FILE);
    assert.deepEqual(cfg.loadBalancers, [{
      name: 'web',
      type: 'application',
      bindAddress: '127.0.0.1',
      listeners: [{
        port: 80,
        protocol: 'HTTP',
        defaultActions: [{ type: 'forward', targetGroups: [{ targetGroup: 'app', weight: 1 }] }],
        rules: [],
      }],
      attributes: { idleTimeoutSeconds: 60, desyncMitigationMode: 'defensive', headerTimeoutSeconds: 10, targetTimeoutSeconds: 60, http2Enabled: true },
    }]);
    assert.deepEqual(cfg.targetGroups, [{
      name: 'app',
      protocol: 'HTTP',
      port: 4000,
      healthCheck: {
        enabled: true, protocol: 'HTTP', path: '/', port: 'traffic-port', intervalSeconds: 30, timeoutSeconds: 5,
        healthyThresholdCount: 5, unhealthyThresholdCount: 2, matcher: '200',
      },
      attributes: {
        deregistrationDelaySeconds: 300, algorithm: 'round_robin', slowStartSeconds: 0, anomalyMitigation: false,
        stickiness: { enabled: false, type: 'lb_cookie', durationSeconds: 86400 },
      },
      targets: [{ id: '10.0.0.1', port: 4000 }, { id: '::1', port: 4001 }],
    }]);
  });

  it('targetTimeoutSeconds follows idleTimeoutSeconds unless set', () => {
    const lb = (attrs: string) => parseConfig(`loadBalancers:\n  - name: web\n    attributes: ${attrs}\n`, FILE).loadBalancers[0]!.attributes;
    assert.equal(lb('{ idleTimeoutSeconds: 120 }').targetTimeoutSeconds, 120);
    assert.equal(lb('{ idleTimeoutSeconds: 120, targetTimeoutSeconds: 30 }').targetTimeoutSeconds, 30);
  });

  it('actions normalize: weighted forward keeps weights (default 1); redirect gets ALB defaults; fixed-response text/plain and empty body', () => {
    const cfg = parseConfig(`
loadBalancers:
  - name: web
    listeners:
      - port: 80
        defaultActions: [{ type: fixed-response, fixedResponseConfig: { statusCode: 404 } }]
        rules:
          - priority: 1
            conditions: [{ field: path-pattern, values: ["/a/*"] }]
            actions: [{ type: forward, forwardConfig: { targetGroups: [{ targetGroup: a, weight: 3 }, { targetGroup: b }] } }]
          - priority: 2
            conditions: [{ field: host-header, values: [old.example.com] }]
            actions: [{ type: redirect, redirectConfig: { host: new.example.com, port: 443, protocol: HTTPS, statusCode: HTTP_302 } }]
targetGroups: [{ name: a, port: 1 }, { name: b, port: 2 }]
`, FILE);
    const listener = cfg.loadBalancers[0]!.listeners[0]!;
    assert.deepEqual(listener.defaultActions, [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '404', contentType: 'text/plain', messageBody: '' } }]);
    assert.deepEqual(listener.rules[0]!.actions, [{ type: 'forward', targetGroups: [{ targetGroup: 'a', weight: 3 }, { targetGroup: 'b', weight: 1 }] }]);
    assert.deepEqual(listener.rules[1]!.actions, [{
      type: 'redirect',
      redirectConfig: { protocol: 'HTTPS', host: 'new.example.com', port: '443', path: '/#{path}', query: '#{query}', statusCode: 'HTTP_302' },
    }]);
  });

  it('conditions keep their shape: values, httpHeaderName, queryStringValues', () => {
    const cfg = parseConfig(`
loadBalancers:
  - name: web
    listeners:
      - port: 80
        defaultActions: [{ type: forward, targetGroup: a }]
        rules:
          - priority: 1
            conditions:
              - { field: http-header, httpHeaderName: X-Env, values: [canary] }
              - { field: query-string, queryStringValues: [{ key: v, value: "2" }, { value: beta }] }
              - { field: source-ip, values: ["10.0.0.0/8", "fd00::/8"] }
            actions: [{ type: forward, targetGroup: a }]
targetGroups: [{ name: a, port: 1 }]
`, FILE);
    assert.deepEqual(cfg.loadBalancers[0]!.listeners[0]!.rules[0]!.conditions, [
      { field: 'http-header', httpHeaderName: 'X-Env', values: ['canary'] },
      { field: 'query-string', values: [], queryStringValues: [{ key: 'v', value: '2' }, { value: 'beta' }] },
      { field: 'source-ip', values: ['10.0.0.0/8', 'fd00::/8'] },
    ]);
  });

  it('health check matcher accepts AWS spelling { httpCode } and unquoted numbers', () => {
    const matcher = (m: string) => parseConfig(`targetGroups: [{ name: a, port: 1, healthCheck: { matcher: ${m} } }]\n`, FILE).targetGroups[0]!.healthCheck.matcher;
    assert.equal(matcher('{ httpCode: "200-299" }'), '200-299');
    assert.equal(matcher('204'), '204');
    assert.equal(matcher('"200, 302,400-404"'), '200,302,400-404');
  });

  it('launch templates: imageId paths resolve against the config dir, AMI ids stay; version defaults', () => {
    const cfg = parseConfig(`
launchTemplates:
  - name: app
    versions:
      - imageId: ./hello
      - imageId: ami-0123456789abcdef0
        instanceType: c5.large
        userData: "#!/bin/sh\\nexec node server.js"
        environment: { PORT: 8080, DEBUG: true, NAME: x }
        tags: { team: web }
      - imageId: /opt/images/app
    defaultVersion: 2
`, FILE);
    assert.deepEqual(cfg.launchTemplates, [{
      name: 'app',
      defaultVersion: 2,
      versions: [
        { imageId: '/etc/shoal/hello', instanceType: 't3.micro', userData: '', environment: {}, tags: {}, portMode: 'host' },
        {
          imageId: 'ami-0123456789abcdef0', instanceType: 'c5.large', userData: '#!/bin/sh\nexec node server.js',
          environment: { PORT: '8080', DEBUG: 'true', NAME: 'x' }, tags: { team: 'web' }, portMode: 'host',
        },
        { imageId: '/opt/images/app', instanceType: 't3.micro', userData: '', environment: {}, tags: {}, portMode: 'host' },
      ],
    }]);
  });

  it('zones: local engines on host networking, remote ones on bridge networking, TLS files resolve, the address defaults to the engine\'s host; docker: images stay', () => {
    const cfg = parseConfig(`
zones:
  - name: zone-a
    docker: { host: unix:///var/run/docker.sock }
  - name: zone-b
    docker:
      host: tcp://host-b.example:2376
      tls: { ca: certs/ca.pem, cert: certs/cert.pem, key: /etc/keys/key.pem }
  - name: zone-c
    docker: { host: ssh://deploy@10.0.0.3 }
  - name: zone-e
    docker: { host: unix:///run/e.sock, network: bridge, address: 127.0.0.1 }
  - name: zone-d
launchTemplates:
  - name: app
    versions: [{ imageId: "docker:shoal-test/hello:1" }, { imageId: "docker:registry.example:5000/team/app@sha256:${'a'.repeat(64)}" }]
`, FILE);
    assert.deepEqual(cfg.zones, [
      { name: 'zone-a', docker: { host: 'unix:///var/run/docker.sock', network: 'host', address: '127.0.0.1' } },
      { name: 'zone-b', docker: { host: 'tcp://host-b.example:2376', network: 'bridge', address: 'host-b.example', tls: { ca: '/etc/shoal/certs/ca.pem', cert: '/etc/shoal/certs/cert.pem', key: '/etc/keys/key.pem' } } },
      { name: 'zone-c', docker: { host: 'ssh://deploy@10.0.0.3', network: 'bridge', address: '10.0.0.3' } },
      { name: 'zone-e', docker: { host: 'unix:///run/e.sock', network: 'bridge', address: '127.0.0.1' } },
      { name: 'zone-d' },
    ]);
    assert.deepEqual(cfg.launchTemplates[0]!.versions.map((v) => v.imageId), ['docker:shoal-test/hello:1', `docker:registry.example:5000/team/app@sha256:${'a'.repeat(64)}`]);
  });

  it('Auto Scaling groups get AWS defaults; desiredCapacity defaults to minSize; scaling policies get theirs', () => {
    const cfg = parseConfig(`
launchTemplates: [{ name: app, versions: [{ imageId: ./a }, { imageId: ./b }] }]
autoScalingGroups:
  - name: g
    launchTemplate: { name: app }
    minSize: 2
    maxSize: 5
    availabilityZones: [zone-a]
  - name: h
    launchTemplate: { name: app, version: "2" }
    minSize: 0
    maxSize: 1
    desiredCapacity: 1
    availabilityZones: [zone-a, zone-b]
    terminationPolicies: [OldestInstance, Default]
    newInstancesProtectedFromScaleIn: true
    scalingPolicies:
      - { name: cpu, policyType: TargetTrackingScaling, targetTrackingConfiguration: { targetValue: 50, predefinedMetricType: ASGAverageCPUUtilization } }
      - { name: add, adjustmentType: ChangeInCapacity, scalingAdjustment: 1 }
    scheduledActions:
      - { scheduledActionName: nightly, recurrence: "0 22 * * *", timeZone: Europe/Berlin, desiredCapacity: 0 }
`, FILE);
    assert.deepEqual(cfg.autoScalingGroups[0], {
      name: 'g',
      launchTemplate: { name: 'app', version: '$Default' },
      minSize: 2,
      maxSize: 5,
      desiredCapacity: 2,
      availabilityZones: ['zone-a'],
      targetGroups: [],
      healthCheckType: 'EC2',
      healthCheckGracePeriod: 300,
      defaultCooldown: 300,
      terminationPolicies: ['Default'],
      newInstancesProtectedFromScaleIn: false,
      scalingPolicies: [],
      scheduledActions: [],
      lifecycleHooks: [],
      instanceStopTimeoutSeconds: 30,
    });
    const h = cfg.autoScalingGroups[1]!;
    assert.deepEqual(h.launchTemplate, { name: 'app', version: 2 });
    assert.equal(h.desiredCapacity, 1);
    assert.deepEqual(h.terminationPolicies, ['OldestInstance', 'Default']);
    assert.equal(h.newInstancesProtectedFromScaleIn, true);
    assert.deepEqual(h.scalingPolicies, [
      { name: 'cpu', enabled: true, policyType: 'TargetTrackingScaling',
        targetTrackingConfiguration: { targetValue: 50, predefinedMetricType: 'ASGAverageCPUUtilization', disableScaleIn: false, period: 60 } },
      { name: 'add', enabled: true, policyType: 'SimpleScaling', adjustmentType: 'ChangeInCapacity', scalingAdjustment: 1 },
    ]);
    assert.deepEqual(h.scheduledActions, [{ scheduledActionName: 'nightly', recurrence: '0 22 * * *', timeZone: 'Europe/Berlin', desiredCapacity: 0 }]);
  });

  it('access logs: off unless enabled; path resolved against the config file, format and rotation defaults', () => {
    const lb = (attrs: string) =>
      parseConfig(`loadBalancers:\n  - name: web\n    listeners: [{ port: 8080, defaultActions: [{ type: fixed-response, fixedResponseConfig: { statusCode: 200 } }] }]\n    attributes: ${attrs}\n`, FILE)
        .loadBalancers[0]!.attributes.accessLogs;
    assert.equal(lb('{}'), undefined);
    assert.equal(lb('{ accessLogs: { enabled: false, path: x.log } }'), undefined);
    assert.deepEqual(lb('{ accessLogs: { enabled: true } }'), { format: 'alb', maxFileSizeMegabytes: 100, maxFiles: 5 });
    assert.deepEqual(lb('{ accessLogs: { enabled: true, path: logs/web.log, format: json, maxFileSizeMegabytes: 1, maxFiles: 0 } }'),
      { path: '/etc/shoal/logs/web.log', format: 'json', maxFileSizeMegabytes: 1, maxFiles: 0 });
  });

  it('api and data plane settings', () => {
    const cfg = parseConfig('api:\n  listen: "[::1]:9000"\n  credentials: [{ accessKeyId: AKID, secretAccessKey: s3cret }]\n  metrics: { public: true }\ndataPlane: { workers: 4 }\n', FILE);
    assert.deepEqual(cfg.api, { listen: '[::1]:9000', credentials: [{ accessKeyId: 'AKID', secretAccessKey: 's3cret' }], allowedHosts: [], allowUnsigned: false, metrics: { public: true } });
    assert.deepEqual(cfg.dataPlane, { workers: 4 });
  });

  it('a non-loopback api.listen with keys of your own, and allowed host names', () => {
    const cfg = parseConfig('api:\n  listen: 0.0.0.0:4566\n  credentials: [{ accessKeyId: AKID, secretAccessKey: s3cret }]\n  allowedHosts: [shoal.lan, "shoal.example.com:443"]\n', FILE);
    assert.deepEqual(cfg.api.allowedHosts, ['shoal.lan', 'shoal.example.com:443']);
    assert.equal(parseConfig('api:\n  listen: localhost:4566\n', FILE).api.listen, 'localhost:4566', 'loopback with the default keys is fine');
  });

  it('a listener may reuse a port on another address', () => {
    const cfg = parseConfig(`
loadBalancers:
  - name: a
    listeners: [{ port: 80, defaultActions: [{ type: forward, targetGroup: t }] }]
  - name: b
    bindAddress: 127.0.0.2
    listeners: [{ port: 80, defaultActions: [{ type: forward, targetGroup: t }] }]
targetGroups: [{ name: t, port: 1 }]
`, FILE);
    assert.equal(cfg.loadBalancers.length, 2);
  });
});

describe('empty values', () => {
  it('a key with an empty value counts as not given, so its default applies', () => {
    const cfg = parseConfig('loadBalancers:\ntargetGroups:\n  - name: a\n    port: 1\n    healthCheck:\n    attributes:\n', FILE);
    assert.deepEqual(cfg.loadBalancers, []);
    assert.equal(cfg.targetGroups[0]!.healthCheck.intervalSeconds, 30);
    assert.equal(cfg.targetGroups[0]!.attributes.deregistrationDelaySeconds, 300);
  });
});
