/**
 * docs/tutorial.md as a test, on examples/cpu-scaling.yaml itself (with its
 * ports, state dir and image path made the test's, and 1 s alarm periods and a
 * 3 s warmup instead of 10 s and 10 s so that it runs in seconds): stress
 * inside the one instance -> the activity history shows the policy launching
 * a second; stop the stress -> the group scales back in. (The tutorial's last
 * step, a refresh under load without errors, is test/e2e/refresh.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/backends.js';
import { inService, startAsgDaemon, waitFor, type AsgDaemon } from './asg-support.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function tutorialConfig(lbPort: number, appPort: number): string {
  const yaml = readFileSync(`${root}examples/cpu-scaling.yaml`, 'utf8');
  const edits: [string, string][] = [
    ['stateDir: .shoal-cpu-scaling', 'stateDir: STATE'],
    ['127.0.0.1:4566', '127.0.0.1:API'],
    ['      - port: 8080', `      - port: ${lbPort}`],
    ['    port: 8080', `    port: ${appPort}`],
    ['imageId: ./hello', `imageId: ${root}examples/hello`],
    ['defaultInstanceWarmup: 10', 'defaultInstanceWarmup: 3'],
    ['period: 10 ', 'period: 1 '],
  ];
  return edits.reduce((text, [from, to]) => {
    assert.ok(text.includes(from), `examples/cpu-scaling.yaml still has "${from}"`);
    return text.replace(from, to);
  }, yaml);
}

async function get(ip: string, port: number, path: string): Promise<string> {
  const res = await fetch(`http://${ip}:${port}${path}`);
  assert.equal(res.status, 200);
  return res.text();
}

const causes = (s: AsgDaemon) => s.asg.activities.list(s.asg.group('hello')!.state).map((a) => a.Cause);

test('the scaling tutorial: stress inside an instance scales the group out, stopping it scales it back in', async () => {
  const lbPort = await freePort();
  const appPort = await freePort();
  const s = await startAsgDaemon(tutorialConfig(lbPort, appPort));
  try {
    const healthy = () => (s.daemon.control.describeTargetHealth('app') ?? []).filter((h) => h.targetHealth.state === 'healthy').length;
    await waitFor('the first instance in service and healthy', () => inService(s.asg, 'hello').length === 1 && healthy() === 1, 30_000);
    const first = s.asg.group('hello')!.state.instances[0]!;
    assert.match(await get(first.target!.id, appPort, '/stress?seconds=120'), /stressing one CPU/);
    const launch = () => causes(s).find((c) => /triggered policy cpu50 changing the desired capacity from 1 to/.test(c));
    await waitFor('a launch by the policy in the activity history', () => launch() !== undefined, 30_000);
    assert.match(launch()!, /AlarmHigh in state ALARM triggered policy cpu50 changing the desired capacity from 1 to [23]: average CPU \d+\.\d%/);
    await waitFor('the new instance in service', () => inService(s.asg, 'hello').length >= 2, 30_000);
    assert.match(await get(first.target!.id, appPort, '/stress?seconds=0'), /stress stopped/);
    const scaleIn = () => causes(s).some((c) => /AlarmLow in state ALARM triggered policy cpu50 changing the desired capacity from \d to 1: average CPU/.test(c));
    await waitFor('a scale-in back to 1 by the policy in the activity history', scaleIn, 60_000);
    assert.equal(s.asg.group('hello')!.state.desiredCapacity, 1);
  } finally {
    await s.destroy();
  }
});
