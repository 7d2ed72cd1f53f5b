/**
 * Helpers for the Auto Scaling end-to-end tests: a daemon on a temp state dir
 * with its own metadata port, real hello instances, an HTTP client, bounded
 * waits. stop() terminates every instance a test launched.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/log.js';
import { seededRandom } from '../../src/core/random.js';
import { Daemon } from '../../src/daemon/daemon.js';
import type { AutoScalingService } from '../../src/controlplane/asg/service.js';
import { ProcessProvider } from '../../src/providers/process/process-provider.js';
import { freePort } from '../support/backends.js';

export const HELLO = resolve('examples/hello');
export const BROKEN = resolve('examples/broken-boot');

export interface AsgDaemon {
  daemon: Daemon;
  asg: AutoScalingService;
  dir: string;
  configPath: string;
  /** Stops the daemon; instances keep running (as `shoal up` then Ctrl-C). */
  stop(): Promise<void>;
  /** Terminates every instance, stops the daemon. */
  destroy(): Promise<void>;
}

export async function startAsgDaemon(yaml: string, dir = mkdtempSync(join(tmpdir(), 'shoal-asg-'))): Promise<AsgDaemon> {
  const configPath = join(dir, 'shoal.yaml');
  writeFileSync(configPath, yaml.replace('127.0.0.1:API', `127.0.0.1:${await freePort()}`).replaceAll('STATE', join(dir, 'state')));
  const daemon = await Daemon.start({
    configPath, clock: systemClock, random: seededRandom(Number(process.pid) ^ dir.length), log: silentLogger, workers: 0,
    autoScaling: { metadata: { host: '127.0.0.1', port: 0 }, stopTimeoutMs: 3000, intervalMs: 250 },
  });
  const asg = daemon.control.autoScalingService!;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await daemon.stop(2000);
  };
  return {
    daemon, asg, dir, configPath, stop,
    destroy: async () => {
      if (!stopped) await asg.terminateAll(3000);
      await stop();
      await sweep(join(dir, 'state'));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Terminates whatever instances are left in a state dir (a failed test's leftovers). */
export async function sweep(stateDir: string): Promise<void> {
  const p = await ProcessProvider.open({ stateDir, clock: systemClock, metadata: false });
  for (const o of await p.list()) if (o.state !== 'terminated') await p.terminate(o.instanceId, { stopTimeoutMs: 2000 });
  await p.close();
}

export async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(50);
  }
}

export function get(port: number, path: string, timeoutMs = 10_000): Promise<{ status: number; body: string }> {
  return new Promise((res, rej) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (r) => {
      let body = '';
      r.on('data', (c: Buffer) => (body += c.toString()));
      r.on('end', () => res({ status: r.statusCode ?? 0, body }));
      r.on('error', rej);
    });
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', rej);
    req.end();
  });
}

/** Requests through the load balancer in a loop until stopped; counts failures (non-200 or errors). */
export function requestLoop(port: number): { ok(): number; stop(): Promise<{ ok: number; failed: string[] }> } {
  let running = true;
  const failed: string[] = [];
  let ok = 0;
  const loop = (async () => {
    while (running) {
      try {
        const r = await get(port, '/');
        if (r.status === 200) ok++;
        else failed.push(`${r.status} ${r.body.slice(0, 200)}`);
      } catch (err) {
        failed.push(String(err));
      }
      await delay(10);
    }
  })();
  return { ok: () => ok, stop: async () => { running = false; await loop; return { ok, failed }; } };
}

export function groupConfig(o: {
  lbPort: number; appPort: number; min: number; max: number; desired?: number; image?: string; userData?: string;
  zones?: string[]; extra?: string; healthCheckType?: string; grace?: number; delay?: number;
}): string {
  const userData = (o.userData ?? '#!/bin/sh\nexec node server.js\n').split('\n').map((l) => '          ' + l).join('\n');
  return `
stateDir: STATE
api: { listen: 127.0.0.1:API }
loadBalancers:
  - name: web
    listeners: [{ port: ${o.lbPort}, protocol: HTTP, defaultActions: [{ type: forward, targetGroup: app }] }]
targetGroups:
  - name: app
    port: ${o.appPort}
    healthCheck: { path: /health, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2 }
    attributes: { deregistrationDelaySeconds: ${o.delay ?? 20} }
launchTemplates:
  - name: app
    versions:
      - imageId: ${o.image ?? HELLO}
        instanceType: t3.micro
        userData: |
${userData}
autoScalingGroups:
  - name: app
    launchTemplate: { name: app, version: $Latest }
    minSize: ${o.min}
    maxSize: ${o.max}
    desiredCapacity: ${o.desired ?? o.min}
    availabilityZones: [${(o.zones ?? ['zone-a', 'zone-b']).join(', ')}]
    targetGroups: [app]
    healthCheckType: ${o.healthCheckType ?? 'ELB'}
    healthCheckGracePeriod: ${o.grace ?? 10}
${o.extra ?? ''}`;
}

export function inService(asg: AutoScalingService, group = 'app'): string[] {
  return asg.group(group)!.state.instances.filter((r) => r.lifecycleState === 'InService' && r.healthStatus === 'Healthy').map((r) => r.instanceId);
}
