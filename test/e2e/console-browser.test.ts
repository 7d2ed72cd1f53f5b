/**
 * The console in a real browser (issue 11, "Done when"): headless Chromium
 * (Debian's, driven by playwright-core) opens the console URL a daemon
 * prints, sees the group's instances, sets the desired capacity to 3
 * through the dialog, sees 3 InService instances and 3 healthy targets,
 * sees a killed instance replaced with the activity's cause, and watches
 * charts gain points; then creates a target group, a launch template
 * version and an Auto Scaling group, and refreshes it with a checkpoint. Every wait is on a condition, bounded. With
 * SHOAL_SCREENSHOTS=DIR it also saves the pages as DIR/console-*.png
 * (docs/console.md's pictures).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from '../support/backends.js';
import { get, groupConfig, inService, startAsgDaemon, waitFor, type AsgDaemon } from './asg-support.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = process.env.SHOAL_SCREENSHOTS;
const WAIT = { timeout: 60_000 };

let s: AsgDaemon;
let browser: Browser;
let lbPort = 0;

before(async () => {
  lbPort = await freePort();
  s = await startAsgDaemon(groupConfig({
    lbPort, appPort: await freePort(), min: 1, max: 4, desired: 2, userData: '#!/bin/sh\necho "console test: booting hello"\nexec node server.js\n',
    extra: `    scalingPolicies:
      - { name: add-one, policyType: SimpleScaling, adjustmentType: ChangeInCapacity, scalingAdjustment: 1 }
alarms:
  - alarmName: cpu-high
    namespace: AWS/EC2
    metricName: CPUUtilization
    dimensions: [{ name: AutoScalingGroupName, value: app }]
    statistic: Average
    period: 60
    evaluationPeriods: 1
    comparisonOperator: GreaterThanThreshold
    threshold: 70
`,
  }).replace('defaultActions: [{ type: forward, targetGroup: app }] }]', `defaultActions: [{ type: forward, targetGroup: app }], rules: [
      { priority: 10, conditions: [{ field: path-pattern, values: ["/admin/*"] }], actions: [{ type: fixed-response, fixedResponseConfig: { statusCode: "403", contentType: text/plain, messageBody: no } }] },
      { priority: 20, conditions: [{ field: host-header, values: [api.example.com] }, { field: http-request-method, values: [POST] }], actions: [{ type: forward, targetGroup: app }] }] }]`));
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
});

after(async () => {
  await browser?.close();
  await s?.destroy();
});

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `console-${name}.png`), fullPage: true });
}

/** The text of every row of a table, cells joined by " | ". */
const rows = (page: Page, table: string): Promise<string[]> =>
  page.$$eval(`${table} tbody tr`, (trs) => trs.map((tr) => Array.from(tr.children).map((td) => (td as HTMLElement).innerText.trim()).join(' | ')));

test('the console in Chromium: log in by the printed link, scale to 3, see a killed instance replaced and charts gain points', { timeout: 420_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // (The refused calls below log their 400 as a failed resource: expected, not a problem.)
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 400/.test(m.text())) problems.push(`console: ${m.text()}`); });

  const res = await page.goto(s.daemon.consoleUrl());
  assert.equal(res?.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/', 'the one-time token left the address bar');
  const cookies = await page.context().cookies();
  assert.ok(cookies.some((c) => c.httpOnly && c.sameSite === 'Strict' && c.name.startsWith('shoal_session_')), JSON.stringify(cookies));
  await page.waitForSelector('#overview-groups', WAIT);
  await page.waitForFunction(() => document.querySelector('#live')?.textContent === 'live', undefined, WAIT);

  // The group's two instances, InService, on the group's page (reached by its link).
  await page.click('#overview-groups a[href="#/asg/app"]');
  await page.waitForFunction(() => document.querySelectorAll('#instances tbody tr').length === 2 &&
    Array.from(document.querySelectorAll('#instances tbody tr')).every((tr) => tr.textContent!.includes('InService')), undefined, WAIT);


  // Set desired capacity to 3 through the dialog.
  await page.click('button[data-action="set-desired"]');
  await page.fill('dialog input[name="desired"]', '3');
  await page.click('dialog button[data-action="confirm"]');
  await page.waitForSelector('dialog', { state: 'detached', ...WAIT });
  await page.waitForFunction(() => document.querySelector('#desired')?.textContent === '3', undefined, WAIT);

  // An action the API refuses: the dialog stays open with the API's message.
  await page.click('button[data-action="set-desired"]');
  await page.fill('dialog input[name="desired"]', '9');
  await page.click('dialog button[data-action="confirm"]');
  await page.waitForFunction(() => /above max value 4/.test(document.querySelector('dialog .error')?.textContent ?? ''), undefined, WAIT);
  await page.click('dialog button[data-action="cancel"]');
  await page.waitForSelector('dialog', { state: 'detached', ...WAIT });
  await page.waitForFunction(() => document.querySelector('#desired')?.textContent === '3', undefined, WAIT);
  await page.waitForFunction(() => document.querySelector('#in-service')?.textContent === '3', undefined, WAIT);
  assert.equal((await rows(page, '#instances')).filter((r) => r.includes('InService')).length, 3);
  assert.ok((await rows(page, '#activities')).some((r) => /Launching a new EC2 instance/.test(r) && /changing the desired capacity from 2 to 3/.test(r)),
    (await rows(page, '#activities')).join('\n'));

  // Three healthy targets on the target group's page.
  await page.goto(new URL('/#/tg/app', page.url()).href);
  await page.waitForFunction(() => document.querySelector('#healthy-count')?.textContent === '3 healthy of 3', undefined, WAIT);

  // Traffic through the load balancer: the RequestCount chart gains points (the charts refresh every 10 s).
  for (let i = 0; i < 20; i++) assert.equal((await get(lbPort, '/')).status, 200);
  await page.waitForFunction(() => Number((document.querySelector('[data-chart="tg/app/requests"]') as HTMLElement | null)?.dataset.points ?? 0) > 0, undefined, WAIT);
  await page.waitForFunction(() => Number((document.querySelector('[data-chart="tg/app/healthy"]') as HTMLElement | null)?.dataset.points ?? 0) > 0, undefined, WAIT);
  assert.match((await page.textContent('[data-chart="tg/app/healthy"]'))!, /zone-a.*zone-b/s, 'one line per zone');
  await shot(page, 'target-group');

  // Kill an instance's process: its replacement, and the activity says why.
  await page.goto(new URL('/#/asg/app', page.url()).href);
  await page.waitForSelector('#instances', WAIT);
  const capacityPoints = Number(await page.getAttribute('[data-chart="asg/app/capacity"]', 'data-points'));
  const victim = inService(s.asg)[0]!;
  const obs = await s.asg.provider.describe(victim);
  process.kill(-obs!.pid!, 'SIGKILL');
  await page.waitForFunction((id) => Array.from(document.querySelectorAll('#activities tbody tr'))
    .some((tr) => tr.textContent!.includes(`Terminating EC2 instance: ${id}`) && tr.textContent!.includes('EC2 health check indicating it has been terminated or stopped')), victim, WAIT);
  await page.waitForFunction((id) => {
    const trs = Array.from(document.querySelectorAll('#instances tbody tr'));
    return trs.filter((tr) => tr.textContent!.includes('InService') && !tr.textContent!.includes(id)).length === 3;
  }, victim, { timeout: 90_000 });
  await waitFor('3 healthy InService instances', () => inService(s.asg).length === 3, 30_000);
  await page.waitForFunction((n) => Number((document.querySelector('[data-chart="asg/app/capacity"]') as HTMLElement | null)?.dataset.points ?? 0) > n, capacityPoints, WAIT);
  assert.ok(Number(await page.getAttribute('[data-chart="asg/app/capacity"]', 'data-marks')) >= 5, 'the launches and the termination are marked on the time axis');
  await page.waitForSelector('[data-chart="asg/app/cpu"] canvas', WAIT);
  assert.ok((await page.textContent('[data-chart="asg/app/cpu"]'))!.includes('cpu-high threshold 70'), 'the alarm threshold is drawn');
  await shot(page, 'auto-scaling-group');

  // A file-owned group's policy cannot be disabled from the console: the dialog names the file and line.
  await page.click('#policies button[data-action="toggle-policy"]');
  await page.click('dialog button[data-action="confirm"]');
  await page.waitForFunction(() => /declared in the config file at .*shoal\.yaml:\d+/.test(document.querySelector('dialog .error')?.textContent ?? ''), undefined, WAIT);
  await page.click('dialog button[data-action="cancel"]');

  // Protect an instance from scale-in through its row's action.
  const first = inService(s.asg)[0]!;
  await page.click(`#instances tr:has(a[href="#/instance/${first}"]) button[data-action="protect"]`);
  await page.click('dialog button[data-action="confirm"]');
  await page.waitForFunction((id) => Array.from(document.querySelectorAll('#instances tbody tr'))
    .some((tr) => tr.textContent!.includes(id) && tr.textContent!.includes('Remove scale-in protection')), first, WAIT);
  assert.equal(s.asg.group('app')!.find(first)!.protectedFromScaleIn, true);

  // The instance page: details and boot log.
  await page.click(`#instances a[href="#/instance/${first}"]`);
  await page.waitForFunction(() => (document.querySelector('#boot-log')?.textContent ?? '').includes('console test: booting hello'), undefined, WAIT);
  await shot(page, 'instance');

  // Alarms: set a state with a reason that is markup; it shows as text.
  await page.goto(new URL('/#/alarms', page.url()).href);
  await page.click('button[data-action="set-alarm-state"]');
  await page.selectOption('dialog select[name="stateValue"]', 'ALARM');
  await page.fill('dialog input[name="stateReason"]', '<img id="xss" src="x"> tested');
  await page.click('dialog button[data-action="confirm"]');
  await page.waitForFunction(() => document.body.innerText.includes('<img id="xss" src="x"> tested'), undefined, WAIT);
  assert.equal(await page.$('#xss'), null, 'no element was made from the value');
  await shot(page, 'alarms');

  // Metrics: graph any series with a statistic and period; the alarm's threshold on it.
  await page.goto(new URL('/#/metrics', page.url()).href);
  await page.waitForSelector('#metric option', { state: 'attached', ...WAIT });
  await page.selectOption('#metric', { label: 'AWS/EC2 CPUUtilization AutoScalingGroupName=app' });
  await page.selectOption('select[name="statistic"]', 'Maximum');
  await page.waitForFunction(() => {
    const c = document.querySelector('[data-charts="metrics"] .chart') as HTMLElement | null;
    return c !== null && /cpu-high threshold 70/.test(c.textContent ?? '') && /Maximum per 10 s/.test(c.textContent ?? '') && Number(c.dataset.points) > 0;
  }, undefined, WAIT);
  await shot(page, 'metrics');

  // The load balancer page: listeners and rules.
  await page.goto(new URL('/#/lb/web', page.url()).href);
  await page.waitForSelector('table.rules', WAIT);
  assert.match((await rows(page, 'table.rules')).join('\n'), /default \| anything else \| forward to app/);
  assert.match((await rows(page, 'table.rules')).join('\n'), /^10 \| path-pattern \/admin\/\* \| answer 403\n20 \| host-header api\.example\.com and http-request-method POST \| forward to app\n/);
  await page.fill('form.tester input[name="path"]', '/anything');
  await page.click('form.tester button[type="submit"]');
  await page.waitForFunction(() => /the default action: forward to app/.test(document.querySelector('#match-result')?.textContent ?? ''), undefined, WAIT);
  await page.fill('form.tester input[name="path"]', '/admin/users');
  await page.click('form.tester button[type="submit"]');
  await page.waitForFunction(() => /rule 10: answer 403/.test(document.querySelector('#match-result')?.textContent ?? ''), undefined, WAIT);
  await shot(page, 'load-balancer');

  // Create a target group from the overview (API-owned), then see it with its owner.
  await page.goto(new URL('/#/', page.url()).href);
  await page.click('button[data-action="create-target-group"]');
  await page.fill('dialog input[name="name"]', 'made-in-console');
  await page.fill('dialog input[name="port"]', '9000');
  await page.fill('dialog input[name="path"]', '/health');
  await page.click('dialog button[data-action="confirm"]');
  await page.waitForFunction(() => location.hash === '#/tg/made-in-console' && /HTTP:9000 · defined by api/.test(document.body.innerText), undefined, WAIT);
  const made = s.daemon.control.config.targetGroups.find((g) => g.name === 'made-in-console');
  assert.equal(made?.healthCheck.path, '/health');
  await page.goto(new URL('/#/', page.url()).href);
  await page.click('button[data-action="create-target-group"]');
  await page.fill('dialog input[name="name"]', 'made-in-console');
  await page.click('dialog button[data-action="confirm"]');
  await page.waitForFunction(() => /already exists/.test(document.querySelector('dialog .error')?.textContent ?? ''), undefined, WAIT);
  await page.click('dialog button[data-action="cancel"]');

  // The file-owned group's simple policy: what it would do now, live (no alarm reaches it).
  await page.goto(new URL('/#/asg/app', page.url()).href);
  await page.waitForFunction(() => /nothing now: no alarm triggers it/.test(document.querySelector('#policies .policy-now')?.textContent ?? ''), undefined, WAIT);

  // Create a launch template version from the overview: the source's settings with new user data.
  await page.goto(new URL('/#/', page.url()).href);
  await page.click('#overview-launch-templates button[data-action="create-template-version"]');
  await page.fill('dialog input[name="description"]', 'from the console');
  await page.fill('dialog textarea[name="userData"]', '#!/bin/sh\necho "console test: version 2"\nexec node server.js\n');
  await page.click('dialog button[data-action="confirm"]');
  await page.waitForFunction(() => /2 \(from the console\)/.test(document.querySelector('#overview-launch-templates')?.textContent ?? ''), undefined, WAIT);
  const lt = s.asg.templates.list().find((t) => t.name === 'app')!;
  const v2 = lt.versions.find((v) => v.versionNumber === 2)!;
  assert.equal(v2.data.imageId, lt.versions[0]!.data.imageId, 'the source version\'s image is kept');
  assert.match(v2.data.userData, /version 2/);

  // Create an Auto Scaling group (the AWS console's fields): on $Latest, attached to the load balancer's target group, with a target tracking policy.
  await page.click('button[data-action="create-auto-scaling-group"]');
  await page.fill('dialog input[name="name"]', 'console-group');
  await page.selectOption('dialog select[name="version"]', '$Latest');
  await page.check('dialog input[name="tg:app"]');
  await page.check('dialog input[name="elb"]');
  await page.fill('dialog input[name="grace"]', '10');
  await page.fill('dialog input[name="max"]', '2');
  await page.check('dialog input[name="tracking"]');
  await page.click('dialog button[data-action="confirm"]');
  await page.waitForFunction(() => location.hash === '#/asg/console-group' && document.querySelector('#in-service')?.textContent === '1', undefined, { timeout: 90_000 });
  assert.match(await page.innerText('main'), /defined by api/);
  await page.waitForFunction(() => /nothing now: alarm TargetTracking-console-group-Target Tracking Policy-AlarmHigh is (INSUFFICIENT_DATA|OK)/
    .test(document.querySelector('#policies .policy-now')?.textContent ?? ''), undefined, WAIT);
  const made1 = inService(s.asg, 'console-group')[0]!;
  assert.equal(s.asg.group('console-group')!.find(made1)!.templateVersion, 2, 'launched from $Latest, the console\'s version');
  await page.goto(new URL('/#/tg/app', page.url()).href);
  await page.waitForFunction(() => document.querySelector('#healthy-count')?.textContent === '4 healthy of 4', undefined, { timeout: 90_000 });

  // An instance refresh with a checkpoint, started from the group's page: its checkpoint shows ahead, then passed.
  await page.goto(new URL('/#/asg/console-group', page.url()).href);
  await page.click('button[data-action="start-refresh"]');
  await page.fill('dialog input[name="min"]', '0');
  await page.fill('dialog input[name="warmup"]', '0');
  await page.fill('dialog input[name="checkpoints"]', '100');
  await page.fill('dialog input[name="delay"]', '5');
  await page.click('dialog button[data-action="confirm"]');
  await page.waitForFunction(() => /100 %: (ahead|passed)/.test(document.querySelector('#refreshes')?.textContent ?? ''), undefined, WAIT);
  await page.waitForFunction(() => /Successful/.test(document.querySelector('#refreshes')?.textContent ?? '') && /100 %: passed/.test(document.querySelector('#refreshes')?.textContent ?? ''), undefined, { timeout: 90_000 });
  assert.equal(s.asg.group('console-group')!.state.refreshes![0]!.preferences.checkpointPercentages[0], 100);

  // The overview: every load balancer, target group, group and alarm with its state.
  await page.goto(new URL('/#/', page.url()).href);
  await page.waitForFunction(() => /cpu-high/.test(document.body.innerText) && /4 of 4/.test(document.querySelector('#overview-target-groups')?.textContent ?? ''), undefined, WAIT);
  await shot(page, 'overview');

  assert.deepEqual(problems, [], 'no script errors and no CSP violations');
});
