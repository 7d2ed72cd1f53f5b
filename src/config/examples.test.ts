/** The shipped examples and the config sketch in design.md must validate. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './errors.js';
import { loadConfigFile, parseConfig } from './load.js';

// Tests run from dist/src/config; data files stay in the source tree.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const examples = `${root}examples`;
const sketchFile = `${root}src/config/testdata/design-sketch.yaml`;

describe('examples', () => {
  it('quickstart.yaml: LB web on 127.0.0.1:8080 -> target group app <- ASG hello', () => {
    const cfg = loadConfigFile(`${examples}/quickstart.yaml`);
    const [lb] = cfg.loadBalancers;
    assert.equal(lb?.name, 'web');
    assert.equal(lb?.bindAddress, '127.0.0.1');
    assert.equal(lb?.listeners[0]?.port, 8080);
    assert.deepEqual(lb?.listeners[0]?.defaultActions, [{ type: 'forward', targetGroups: [{ targetGroup: 'app', weight: 1 }] }]);
    const [tg] = cfg.targetGroups;
    assert.equal(tg?.port, 8080);
    assert.deepEqual(
      [tg?.healthCheck.path, tg?.healthCheck.intervalSeconds, tg?.healthCheck.timeoutSeconds, tg?.healthCheck.healthyThresholdCount, tg?.healthCheck.unhealthyThresholdCount],
      ['/health', 5, 2, 2, 2],
    );
    const version = cfg.launchTemplates[0]?.versions[0];
    assert.equal(version?.imageId, `${examples}/hello`);
    assert.equal(version?.userData, '#!/bin/sh\nexec node server.js\n');
    const [asg] = cfg.autoScalingGroups;
    assert.deepEqual(
      [asg?.name, asg?.minSize, asg?.maxSize, asg?.desiredCapacity, asg?.availabilityZones, asg?.targetGroups, asg?.healthCheckType, asg?.healthCheckGracePeriod],
      ['hello', 2, 4, 2, ['zone-a', 'zone-b'], ['app'], 'ELB', 30],
    );
    assert.equal(cfg.stateDir, `${examples}/.shoal`);
  });

  it('static.yaml: static targets 9001 and 9002, every condition and action type', () => {
    const cfg = loadConfigFile(`${examples}/static.yaml`);
    const targets = cfg.targetGroups.flatMap((tg) => tg.targets.map((t) => `${t.id}:${t.port}`));
    assert.deepEqual([...new Set(targets)].sort(), ['127.0.0.1:9001', '127.0.0.1:9002']);
    const rules = cfg.loadBalancers.flatMap((lb) => lb.listeners.flatMap((l) => l.rules));
    const fields = new Set(rules.flatMap((r) => r.conditions.map((c) => c.field)));
    assert.deepEqual([...fields].sort(), ['host-header', 'http-header', 'http-request-method', 'path-pattern', 'query-string', 'source-ip']);
    const actions = rules.flatMap((r) => r.actions);
    assert.deepEqual([...new Set(actions.map((a) => a.type))].sort(), ['fixed-response', 'forward', 'redirect']);
    assert.ok(actions.some((a) => a.type === 'forward' && a.targetGroups.length > 1), 'a weighted forward');
  });
});

describe('the config sketch in design.md', () => {
  it('the fixture is still the sketch in design.md (if design.md is there to compare)', (t) => {
    let design: string;
    try {
      design = readFileSync(`${dirname(root)}/shared/design.md`, 'utf8');
    } catch {
      t.skip('design.md not found beside the repository');
      return;
    }
    const sketch = /```yaml\n([\s\S]*?)```/.exec(design)?.[1];
    assert.equal(readFileSync(sketchFile, 'utf8'), sketch);
  });

  it('validates except for the two target groups it forwards to without defining (api, canary)', () => {
    try {
      loadConfigFile(sketchFile);
      assert.fail('expected the undefined target groups to be reported');
    } catch (err) {
      assert.ok(err instanceof ConfigError, String(err));
      assert.deepEqual(err.issues.map((i) => [i.path, i.message.split(';')[0]]), [
        ['loadBalancers[0].listeners[0].rules[0].actions[0].targetGroup', 'target group "api" is not defined (did you mean "app"?)'],
        ['loadBalancers[0].listeners[0].rules[1].actions[0].forwardConfig.targetGroups[1].targetGroup', 'target group "canary" is not defined'],
      ]);
    }
  });

  it('validates once those target groups are defined, and keeps what it says', () => {
    // Append the two groups to the sketch's targetGroups list, right after its only group.
    const fixed = readFileSync(sketchFile, 'utf8').replace(
      '    targets: [{ id: 127.0.0.1, port: 9001 }]',
      '    targets: [{ id: 127.0.0.1, port: 9001 }]\n  - { name: api, port: 4001 }\n  - { name: canary, port: 4002 }',
    );
    const cfg = parseConfig(fixed, sketchFile);
    const rules = cfg.loadBalancers[0]!.listeners[0]!.rules;
    assert.deepEqual(rules.map((r) => r.priority), [10, 20, 30, 40]);
    assert.deepEqual(rules[1]!.actions[0], { type: 'forward', targetGroups: [{ targetGroup: 'app', weight: 90 }, { targetGroup: 'canary', weight: 10 }] });
    assert.equal(cfg.targetGroups[0]!.healthCheck.matcher, '200-399');
    assert.equal(cfg.targetGroups[0]!.attributes.deregistrationDelaySeconds, 30);
    assert.deepEqual(cfg.autoScalingGroups[0]!.launchTemplate, { name: 'app', version: '$Latest' });
    assert.equal(cfg.autoScalingGroups[0]!.scalingPolicies[0]!.policyType, 'TargetTrackingScaling');
    assert.equal(cfg.dataPlane.workers, 'auto');
  });
});
