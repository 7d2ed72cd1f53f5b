/** The web console is served at the API address and reads the same JSON API the CLI uses. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startBackend } from '../support/backends.js';
import { basicConfig, startDaemon } from '../support/daemon.js';

test('GET / on the API address serves the console page, and the API it polls answers', async () => {
  const backend = await startBackend('b');
  const shoal = await startDaemon(basicConfig({ port: await freePort(), targets: [backend.port] }));
  try {
    const base = `http://${shoal.daemon.apiAddress()}`;
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    const html = await page.text();
    assert.match(html, /<title>shoal console<\/title>/);
    for (const path of html.match(/'\/_shoal\/[a-z-]+/g) ?? []) assert.ok(path.length > 0);
    const status = (await (await fetch(`${base}/_shoal/status`)).json()) as { loadBalancers: { name: string }[]; targetGroups: { name: string }[] };
    assert.deepEqual(status.loadBalancers.map((l) => l.name), ['web']);
    const targets = (await (await fetch(`${base}/_shoal/target-groups/app/targets`)).json()) as { targetHealthDescriptions: unknown[] };
    assert.equal(targets.targetHealthDescriptions.length, 1);
  } finally {
    await shoal.stop();
    await backend.close();
  }
});
