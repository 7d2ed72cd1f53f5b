/**
 * The web console: one page at the API address that shows load balancers,
 * target health, Auto Scaling groups, their instances and recent activity,
 * refreshed every two seconds from the same JSON API the CLI uses. Served
 * only to a logged-in session (console-routes.ts): its cookie goes with every
 * same-origin fetch, and every call that changes state carries the
 * session's CSRF token (from the meta tag) as X-CSRF-Token.
 */
import type { ServerResponse } from 'node:http';
import { escapeHtml, sendPage } from './pages.js';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>shoal console</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="shoal-csrf" content="CSRF_TOKEN">
<style>
 body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b2733;background:#f6f8fa}
 h1{font-size:1.4rem;margin:0 0 .2rem} h2{font-size:1.1rem;margin:1.4rem 0 .4rem} h3{font-size:1rem;margin:1rem 0 .3rem}
 table{border-collapse:collapse;background:#fff;margin:.2rem 0 .6rem;min-width:40%}
 th,td{border:1px solid #d0d7de;padding:.25rem .55rem;text-align:left;vertical-align:top} th{background:#eaeef2}
 .healthy,.InService,.Successful{color:#1a7f37;font-weight:600} .unhealthy,.Failed,.Unhealthy{color:#cf222e;font-weight:600}
 .initial,.draining,.Pending,.InProgress{color:#9a6700;font-weight:600} .muted{color:#57606a} code{background:#eaeef2;padding:0 .2rem}
</style></head><body>
<h1>shoal</h1><div class="muted" id="meta">loading…</div>
<p><button id="logout" type="button">Log out</button></p>
<div id="lbs"></div><div id="asgs"></div>
<script>
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
const cell = (v) => '<td class="' + esc(v) + '">' + esc(v) + '</td>';
const table = (head, rows) => rows.length === 0 ? '<p class="muted">none</p>' :
  '<table><tr>' + head.map((h) => '<th>' + esc(h) + '</th>').join('') + '</tr>' +
  rows.map((r) => '<tr>' + r.map(cell).join('') + '</tr>').join('') + '</table>';
const csrf = document.querySelector('meta[name="shoal-csrf"]').content;
// Same-origin fetches send the session cookie; calls that change state also send the CSRF token.
async function call(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: {} };
  if (method !== 'GET') { init.headers = { 'content-type': 'application/json', 'x-csrf-token': csrf }; init.body = JSON.stringify(body ?? {}); }
  const r = await fetch(path, init);
  if (r.status === 401 || r.status === 403) throw new Error('the console session has ended: reload the page to log in again');
  if (!r.ok) throw new Error((await r.json()).message);
  return r.json();
}
const get = (path) => call('GET', path);
document.getElementById('logout').onclick = () => call('POST', '/_shoal/logout').finally(() => location.reload());
async function refresh() {
  try {
    const status = await get('/_shoal/status');
    let html = '<h2>Load balancers</h2>';
    html += table(['name', 'type', 'listeners'], status.loadBalancers.map((lb) => [lb.name, lb.type, lb.listeners.map((l) => 'http://' + l.address + '/').join(' ')]));
    html += '<h2>Target groups</h2>';
    for (const tg of status.targetGroups) {
      const t = await get('/_shoal/target-groups/' + encodeURIComponent(tg.name) + '/targets');
      html += '<h3>' + esc(tg.name) + '</h3>' + table(['target', 'port', 'state', 'reason', 'description'],
        t.targetHealthDescriptions.map((d) => [d.target.id, d.target.port, d.targetHealth.state, d.targetHealth.reason, d.targetHealth.description]));
    }
    document.getElementById('lbs').innerHTML = html;
    let asg = '';
    try {
      const groups = (await get('/_shoal/auto-scaling-groups')).AutoScalingGroups;
      asg = '<h2>Auto Scaling groups</h2>';
      for (const g of groups) {
        asg += '<h3>' + esc(g.AutoScalingGroupName) + ' <span class="muted">min ' + esc(g.MinSize) + ' · desired ' + esc(g.DesiredCapacity) + ' · max ' + esc(g.MaxSize) + '</span></h3>';
        if (g.Status && g.Status.length) asg += '<p>' + g.Status.map(esc).join('<br>') + '</p>';
        asg += table(['instance', 'zone', 'ip', 'lifecycle', 'health', 'target health', 'reason'],
          g.Instances.map((i) => [i.InstanceId, i.AvailabilityZone, i.PrivateIpAddress, i.LifecycleState, i.HealthStatus, i.TargetHealth, i.Reason]));
        const acts = (await get('/_shoal/auto-scaling-groups/' + encodeURIComponent(g.AutoScalingGroupName) + '/activities')).Activities.slice(0, 8);
        asg += table(['start', 'status', 'description', 'cause'], acts.map((a) => [a.StartTime, a.StatusCode, a.Description, a.Cause]));
      }
    } catch (e) { asg = ''; }
    document.getElementById('asgs').innerHTML = asg;
    document.getElementById('meta').textContent = 'updated ' + new Date().toLocaleTimeString() + ' · CLI: shoal targets NAME, shoal describe ASG, shoal activity ASG';
  } catch (e) {
    document.getElementById('meta').textContent = 'cannot reach the daemon: ' + e.message;
  }
}
refresh(); setInterval(refresh, 2000);
</script></body></html>
`;

export function serveConsole(res: ServerResponse, csrfToken: string): void {
  sendPage(res, 200, PAGE.replace('CSRF_TOKEN', escapeHtml(csrfToken)));
}
