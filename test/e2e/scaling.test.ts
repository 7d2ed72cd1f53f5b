/**
 * Target tracking on real processes (issue 4, "Done when"): load through the
 * load balancer makes the group scale out, the activity history says why with
 * the numbers, and after the load stops it scales back in. Periods of 1 s keep
 * each test well under a minute. The load generator is a bounded concurrent
 * loop on loopback.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, Agent } from 'node:http';
import { freePort } from '../support/backends.js';
import { groupConfig, inService, startAsgDaemon, waitFor, type AsgDaemon } from './asg-support.js';
import { explain } from '../../src/controlplane/scaling/explain.js';

/** `concurrency` clients requesting `path` back to back until stop(); never more than that many in flight. */
function load(port: number, path: string, concurrency: number): { stop(): Promise<{ ok: number; failed: number }> } {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let running = true;
  let ok = 0;
  let failed = 0;
  const one = () => new Promise<void>((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => { if (res.statusCode === 200) ok++; else failed++; resolve(); });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => { failed++; resolve(); });
    req.end();
  });
  const workers = Array.from({ length: concurrency }, async () => { while (running) await one(); });
  return { stop: async () => { running = false; await Promise.all(workers); agent.destroy(); return { ok, failed }; } };
}

function policyYaml(tt: string): string {
  return `    defaultInstanceWarmup: 3
    scalingPolicies:
      - name: track
        policyType: TargetTrackingScaling
        targetTrackingConfiguration: { ${tt}, period: 1 }
`;
}

function causes(s: AsgDaemon): string[] {
  return s.asg.activities.list(s.asg.group('app')!.state).map((a) => a.Cause);
}

async function scaleOutThenIn(s: AsgDaemon, lbPort: number, path: string, concurrency: number, pattern: RegExp): Promise<void> {
  await waitFor('1 instance in service and healthy', () => inService(s.asg).length === 1 && (s.daemon.control.describeTargetHealth('app') ?? []).some((h) => h.targetHealth.state === 'healthy'), 30_000);
  const gen = load(lbPort, path, concurrency);
  try {
    await waitFor('a scale-out decided by the policy', () => s.asg.group('app')!.state.desiredCapacity > 1, 30_000);
  } finally {
    const r = await gen.stop();
    assert.ok(r.ok > 0, 'the load generator got answers');
  }
  const out = causes(s).find((c) => /triggered policy track changing the desired capacity from 1 to/.test(c));
  assert.ok(out, `the launch's cause quotes the policy:\n${causes(s).join('\n')}`);
  assert.match(out!, pattern);
  await waitFor('a scale-in back to 1 after the load stopped', () => s.asg.group('app')!.state.desiredCapacity === 1, 45_000);
  const e = explain(s.daemon.control.scalingService!, s.asg, 'app', Date.now());
  assert.ok(e.decisions.some((d) => d.kind === 'scale' && d.to < d.from), `explain shows the scale-in: ${JSON.stringify(e.decisions, null, 1)}`);
  assert.equal(e.policies[0]!.PolicyName, 'track');
}

test('CPU target tracking: /burn load scales the group out, and in again when the load stops', async () => {
  const lbPort = await freePort();
  const appPort = await freePort();
  const yaml = groupConfig({ lbPort, appPort, min: 1, max: 3, zones: ['zone-a'], grace: 5, delay: 1,
    extra: policyYaml('predefinedMetricType: ASGAverageCPUUtilization, targetValue: 20') }).replace('t3.micro', 't2.micro');
  // 1 vCPU: a busy node process is ~100%, but on a loaded 2-core machine the instance may get a third of a core: a low target keeps the test about scaling
  const s = await startAsgDaemon(yaml);
  try {
    await scaleOutThenIn(s, lbPort, '/burn?ms=20', 4, /average CPU \d+\.\d% \(\d+\.\d% for the whole group\) over \d datapoints? vs target 20%; ceil\(\d+\.\d \/ 20\) = \d/);
  } finally {
    await s.destroy();
  }
});

test('ALBRequestCountPerTarget target tracking: request load scales out, and in after it stops', async () => {
  const lbPort = await freePort();
  const appPort = await freePort();
  const yaml = groupConfig({ lbPort, appPort, min: 1, max: 3, zones: ['zone-a'], grace: 5, delay: 1,
    extra: policyYaml('predefinedMetricType: ALBRequestCountPerTarget, resourceLabel: web/app, targetValue: 600') });
  const s = await startAsgDaemon(yaml);
  try {
    await scaleOutThenIn(s, lbPort, '/', 4, /requests per target \d+\.\d\/min \(\d+\.\d\/min for the whole group\) over \d datapoints? vs target 600\/min; ceil\(\d+\.\d \/ 600\) = \d/);
  } finally {
    await s.destroy();
  }
});
