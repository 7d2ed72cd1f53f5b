/**
 * The README's "Use it with the AWS CLI" section, run as written: its shell
 * blocks (after the one that starts the daemon) go to bash against a fresh
 * API-only daemon, with only the daemon's address and the two ports swapped
 * for free ones, Debian's AWS CLI v2 first on PATH and `npx shoal` as the
 * built CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/log.js';
import { seededRandom } from '../../src/core/random.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { freePort } from '../support/backends.js';
import { sweep } from './asg-support.js';

const run = promisify(execFile);

function sectionBlocks(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `README has "## ${heading}"`);
  const end = markdown.indexOf('\n## ', start + 4);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

test('the README\'s AWS CLI section works as written', async (t) => {
  const blocks = sectionBlocks(readFileSync('README.md', 'utf8'), 'Use it with the AWS CLI');
  assert.match(blocks[0]!, /^npx shoal up\b/, 'the first block starts the daemon');
  const dir = mkdtempSync(join(tmpdir(), 'shoal-readme-'));
  writeFileSync(join(dir, 'shoal.yaml'), `api: { listen: 127.0.0.1:${await freePort()} }\nstateDir: ${join(dir, 'state')}\n`);
  const daemon = await Daemon.start({
    configPath: join(dir, 'shoal.yaml'), clock: systemClock, random: seededRandom(process.pid), log: silentLogger, workers: 0,
    autoScaling: { metadata: { host: '127.0.0.1', port: 0 }, stopTimeoutMs: 3000, intervalMs: 250 },
  });
  t.after(async () => {
    await daemon.control.autoScalingService?.terminateAll(3000);
    await daemon.stop(2000);
    await sweep(join(dir, 'state'));
    rmSync(dir, { recursive: true, force: true });
  });

  const [appPort, lbPort] = [await freePort(), await freePort()];
  const script = blocks.slice(1).join('\n')
    .replaceAll('127.0.0.1:4566', daemon.apiAddress())
    .replaceAll('--port 8000', `--port ${appPort}`)
    .replaceAll('8081', String(lbPort))
    .replaceAll('npx shoal ', `node ${resolve('dist/src/cli/main.js')} `);
  assert.ok(script.includes(`--port ${appPort}`) && script.includes(`:${lbPort}/`), 'the ports to swap are where the test expects them');
  const env = {
    ...process.env, PATH: `/usr/bin:${process.env.PATH}`, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '',
    SHOAL_TOKEN: readFileSync(join(dir, 'state', 'api-token'), 'utf8').trim(),
  };
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, env, maxBuffer: 8 * 1024 * 1024, timeout: 180_000 });

  const g = daemon.control.autoScalingService!.group('web-asg')!;
  const ids = g.state.instances.map((i) => i.instanceId);
  assert.match(stdout, /i-0[0-9a-f]{16}\s+healthy\n(.*\n)?i-0[0-9a-f]{16}\s+healthy/, 'describe-target-health printed two healthy instances');
  assert.match(stdout, /hello from i-0[0-9a-f]{16} \(127\.0\.\d+\.\d+:\d+, zone /, 'curl through the DNS name was answered by an instance');
  assert.match(stdout, /web-alb/, 'shoal status shows the load balancer');
  const terminated = /Terminating EC2 instance: (i-0[0-9a-f]{16})/.exec(stdout)?.[1];
  assert.ok(terminated, 'the activities name the terminated instance');
  assert.ok(!ids.includes(terminated) || g.find(terminated)?.lifecycleState !== 'InService', 'the terminated instance left service');
  const inService = g.state.instances.filter((i) => i.lifecycleState === 'InService').map((i) => i.instanceId);
  assert.equal(inService.length, 2, 'a replacement is InService');
  assert.ok(!inService.includes(terminated));
  assert.match(stdout, /Launching a new EC2 instance: (i-0[0-9a-f]{16})/);
});
