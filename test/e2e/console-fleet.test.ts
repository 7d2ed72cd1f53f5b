/**
 * The console with a fleet (issue 11: "stays responsive with 100 targets and
 * 20 groups"): 5 target groups of 20 real backends each behind one load
 * balancer, and 20 Auto Scaling groups of one instance each, in headless
 * Chromium. What makes a page slow as the fleet grows is checked as counts,
 * not times (no timings in the suite): every page fetches a fixed number of
 * API answers however many groups and targets there are (no request per
 * row), and a burst of changes (all 100 targets failing their health checks,
 * then passing again) gives at most one render per change the daemon
 * pushed (coalesced while one runs), while the page follows to the final
 * state and an action taken in the middle of it lands.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort, startBackend, type Backend } from '../support/backends.js';
import { HELLO, startAsgDaemon, waitFor, type AsgDaemon } from './asg-support.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WAIT = { timeout: 90_000 };
const GROUPS = 20;
const TARGET_GROUPS = 5;
const PER_GROUP = 20;

let s: AsgDaemon;
let browser: Browser;
let failing = false;
const backends: Backend[] = [];

function fleetConfig(lbPort: number): string {
  const tgs = Array.from({ length: TARGET_GROUPS }, (_, g) => `  - name: fleet-${g}
    port: 80
    healthCheck: { path: /health, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2 }
    attributes: { deregistrationDelaySeconds: 0 }
    targets: [${backends.slice(g * PER_GROUP, (g + 1) * PER_GROUP).map((b) => `{ id: 127.0.0.1, port: ${b.port} }`).join(', ')}]`).join('\n');
  const rules = Array.from({ length: TARGET_GROUPS - 1 }, (_, i) =>
    `{ priority: ${i + 1}, conditions: [{ field: path-pattern, values: ["/g${i + 1}/*"] }], actions: [{ type: forward, targetGroup: fleet-${i + 1} }] }`).join(', ');
  const groups = Array.from({ length: GROUPS }, (_, i) => `  - name: group-${String(i).padStart(2, '0')}
    launchTemplate: { name: idle, version: $Latest }
    minSize: 0
    maxSize: 3
    desiredCapacity: 1
    availabilityZones: [zone-a, zone-b]`).join('\n');
  return `
stateDir: STATE
api: { listen: 127.0.0.1:API }
loadBalancers:
  - name: web
    listeners: [{ port: ${lbPort}, protocol: HTTP, defaultActions: [{ type: forward, targetGroup: fleet-0 }], rules: [${rules}] }]
targetGroups:
${tgs}
launchTemplates:
  - name: idle
    versions:
      - imageId: ${HELLO}
        instanceType: t3.nano
        userData: |
          #!/bin/sh
          exec sleep 3600
autoScalingGroups:
${groups}
`;
}

before(async () => {
  for (let i = 0; i < TARGET_GROUPS * PER_GROUP; i++) {
    backends.push(await startBackend(`b${i}`, (req, res) => {
      req.resume();
      res.writeHead(failing && req.url === '/health' ? 500 : 200, { 'content-type': 'text/plain' });
      res.end('ok\n');
    }));
  }
  s = await startAsgDaemon(fleetConfig(await freePort()));
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
});

after(async () => {
  await browser?.close();
  await s?.destroy();
  await Promise.all(backends.map((b) => b.close()));
});

const rendered = (page: Page): Promise<number> => page.evaluate(() => Number(document.body.dataset.rendered ?? 0));

/** Records the /_shoal/ API calls a page makes (not the event stream). */
function recordApi(page: Page): string[] {
  const calls: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/_shoal/') && u.pathname !== '/_shoal/events') calls.push(u.pathname);
  });
  return calls;
}

/** From now on, counts the state versions the daemon pushes to the page (each one asks for a render). */
async function countPushes(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const w = window as unknown as { pushed: number };
    w.pushed = 0;
    const live = document.getElementById('live')!;
    new MutationObserver(() => void w.pushed++).observe(live, { attributes: true, attributeFilter: ['data-version'] });
  });
  return () => page.evaluate(() => (window as unknown as { pushed: number }).pushed);
}

const allTargetGroups = (page: Page, text: (n: number) => string): Promise<unknown> =>
  page.waitForFunction(([want, n]) => Array.from(document.querySelectorAll('#overview-target-groups tbody tr'))
    .filter((tr) => new RegExp(`(^|[^0-9])${want as string}`).test(tr.textContent!)).length === n, [text(PER_GROUP), TARGET_GROUPS] as const, WAIT);

test('the console with 100 targets and 20 groups: fixed API calls per render, bursts of changes coalesce, actions land', { timeout: 400_000 }, async () => {
  await waitFor('20 groups with an instance in service', () => [...s.asg.groups.values()].every((g) => g.state.instances.some((r) => r.lifecycleState === 'InService')), 90_000);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  const calls = recordApi(page);
  await page.goto(s.daemon.consoleUrl());
  await page.waitForFunction((n) => document.querySelectorAll('#overview-groups tbody tr').length === n, GROUPS, WAIT);
  await page.waitForFunction(() => document.querySelector('#live')?.textContent === 'live', undefined, WAIT);
  await allTargetGroups(page, (n) => `${n} of ${n}`);

  // A burst: all 100 targets fail their health checks; the overview follows.
  const pushed = await countPushes(page);
  const start = { renders: await rendered(page), calls: calls.length };
  failing = true;
  await allTargetGroups(page, (n) => `0 of ${n}`);
  const overview = { renders: (await rendered(page)) - start.renders, calls: calls.slice(start.calls), pushed: await pushed() };
  assert.ok(overview.pushed >= 2, `the daemon pushed the burst's changes (${overview.pushed})`);
  assert.ok(overview.renders <= overview.pushed, `${overview.renders} renders for ${overview.pushed} pushed changes: one at most each, coalesced while one runs`);
  assert.deepEqual([...new Set(overview.calls)].sort(), ['/_shoal/alarms', '/_shoal/launch-templates', '/_shoal/status'], 'no call per group or target');
  assert.ok(overview.calls.length <= 3 * overview.renders + 3, `${overview.calls.length} calls for ${overview.renders} renders`);

  // An action in the middle of it, from a group's page: it lands and shows; that page, too, calls only for its own group.
  await page.goto(new URL('/#/asg/group-07', page.url()).href);
  const onGroup = calls.length;
  await page.click('button[data-action="set-desired"]');
  await page.fill('dialog input[name="desired"]', '2');
  await page.click('dialog button[data-action="confirm"]');
  await page.waitForSelector('dialog', { state: 'detached', ...WAIT });
  await page.waitForFunction(() => document.querySelector('#in-service')?.textContent === '2', undefined, WAIT);
  const foreign = calls.slice(onGroup).filter((c) => !['/_shoal/status', '/_shoal/alarms'].includes(c) && !c.startsWith('/_shoal/auto-scaling-groups/group-07') && !c.startsWith('/_shoal/metrics'));
  assert.deepEqual(foreign, [], 'the group page fetches its own group, the status, and its charts with their alarm thresholds');

  // The targets pass again; the overview follows to the end of the burst.
  failing = false;
  await page.goto(new URL('/#/', page.url()).href);
  await allTargetGroups(page, (n) => `${n} of ${n}`);
  const total = { renders: (await rendered(page)) - start.renders, pushed: await pushed() };
  console.log(`# console fleet: ${total.renders} renders for ${total.pushed} pushed changes, ${calls.length - start.calls} API calls`);
  assert.deepEqual(problems, []);
});
