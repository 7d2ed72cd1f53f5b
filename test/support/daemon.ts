/** An in-process shoal daemon for end-to-end tests, from a YAML text, in a temp dir. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../src/core/clock.js';
import { createLogger, silentLogger } from '../../src/core/log.js';
import { seededRandom } from '../../src/core/random.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { freePort } from './backends.js';
import type { TargetHealthDescription } from '../../src/model/target-group.js';

export interface TestDaemon {
  daemon: Daemon;
  dir: string;
  configPath: string;
  stop(): Promise<void>;
}

export async function startDaemon(yaml: string, o: { clock?: Clock; dir?: string } = {}): Promise<TestDaemon> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'shoal-e2e-'));
  const configPath = join(dir, 'shoal.yaml');
  writeFileSync(configPath, yaml.replace('127.0.0.1:API', `127.0.0.1:${await freePort()}`));
  const daemon = await Daemon.start({
    configPath,
    clock: o.clock ?? systemClock,
    random: seededRandom(7),
    log: process.env.SHOAL_TEST_LOG ? createLogger('test', 'debug') : silentLogger,
    workers: 0,
  });
  return {
    daemon,
    dir,
    configPath,
    stop: async () => {
      await daemon.stop(2000);
      if (!o.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until the predicate holds over the target health table (real time, bounded). */
export async function waitForHealth(
  daemon: Daemon,
  group: string,
  pred: (list: TargetHealthDescription[]) => boolean,
  timeoutMs = 10_000,
): Promise<TargetHealthDescription[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = daemon.control.describeTargetHealth(group) ?? [];
    if (pred(list)) {
      // The data plane hears of health changes with the next snapshot (coalesced over 20 ms): publish one now and
      // wait until it is applied, so traffic sent next sees the health the condition saw.
      await daemon.control.publishNow();
      return list;
    }
    if (Date.now() > deadline) throw new Error(`health condition not met: ${JSON.stringify(list)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function stateOf(list: TargetHealthDescription[], port: number): string | undefined {
  return list.find((d) => d.target.port === port)?.targetHealth.state;
}

/** Minimal config: one ALB listener forwarding to one target group of static targets. */
export function basicConfig(o: {
  port: number;
  targets: number[];
  extra?: string;
  lbAttributes?: string;
  tgAttributes?: string;
  healthCheck?: string;
  rules?: string;
}): string {
  return `
api: { listen: 127.0.0.1:API }
loadBalancers:
  - name: web
    listeners:
      - port: ${o.port}
        protocol: HTTP
        defaultActions: [{ type: forward, targetGroup: app }]
${o.rules ?? ''}
    attributes: { ${o.lbAttributes ?? ''} }
targetGroups:
  - name: app
    port: ${o.targets[0] ?? 80}
    healthCheck: { ${o.healthCheck ?? 'path: /health, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2'} }
    attributes: { ${o.tgAttributes ?? 'deregistrationDelaySeconds: 30'} }
    targets: [${o.targets.map((p) => `{ id: 127.0.0.1, port: ${p} }`).join(', ')}]
${o.extra ?? ''}`;
}
