import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../core/clock.js';
import { seededRandom } from '../core/random.js';
import { createMemoryStore } from '../store/index.js';
import type { ShoalConfig } from '../model/config.js';
import { ModelService } from './model.js';

const FILE = `targetGroups:
  - name: app
    port: 4000
loadBalancers:
  - name: web
    listeners:
      - port: 18080
        defaultActions: [{ type: forward, targetGroup: app }]
`;

function setup(text = FILE) {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-model-'));
  const path = join(dir, 'shoal.yaml');
  writeFileSync(path, text);
  const applied: ShoalConfig[] = [];
  const store = createMemoryStore(new ManualClock());
  const model = new ModelService({ store, clock: new ManualClock(), random: seededRandom(1), changed: async (c) => void applied.push(c) });
  model.loadFile(path);
  return { model, path, applied, store, rewrite: (t: string) => writeFileSync(path, t) };
}

const names = (c: ShoalConfig) => c.targetGroups.map((g) => g.name);

test('the file\'s resources become file-owned records with their line, and the effective config', () => {
  const { model, path } = setup();
  const rec = model.get('targetGroups', 'app')!;
  assert.deepEqual(rec.owner, { kind: 'file', file: path, line: 2 });
  assert.match(rec.id, /^[0-9a-f]{17}$/);
  assert.deepEqual(names(model.effective), ['app']);
  assert.equal(model.effective.targetGroups[0]!.healthCheck.intervalSeconds, 30, 'defaults filled by the config\'s rules');
});

test('an API create is validated with everything, written, and applied', async () => {
  const { model, applied } = setup();
  const rec = await model.create('targetGroups', { name: 'api-tg', port: 5000 });
  assert.deepEqual(rec.owner, { kind: 'api' });
  assert.deepEqual(names(model.effective), ['app', 'api-tg']);
  assert.deepEqual(names(applied.at(-1)!), ['app', 'api-tg']);
  await assert.rejects(model.create('targetGroups', { name: 'api-tg', port: 5001 }), { code: 'AlreadyExists' });
  await assert.rejects(model.create('targetGroups', { name: 'app', port: 5001 }), /declared by .*shoal\.yaml:2/);
});

test('an invalid create names the API resource and writes nothing', async () => {
  const { model, applied } = setup();
  await assert.rejects(model.create('targetGroups', { name: 'bad', port: 0 }), (err: Error & { code: string }) => {
    assert.equal(err.code, 'ValidationError');
    assert.match(err.message, /target group 'bad' \(created through the API\): port: /);
    return true;
  });
  assert.equal(model.get('targetGroups', 'bad'), undefined);
  assert.equal(applied.length, 0);
});

test('file-owned resources answer with the file and line to edit; API ones take If-Match versions', async () => {
  const { model, path } = setup();
  await assert.rejects(model.update('targetGroups', 'app', (r) => ({ ...r, port: 1 })), (err: Error & { code: string }) => {
    assert.equal(err.code, 'ResourceOwnedByFile');
    assert.ok(err.message.includes(`${path}:2`), err.message);
    return true;
  });
  await assert.rejects(model.remove('targetGroups', 'app'), { code: 'ResourceOwnedByFile' });
  const v1 = await model.create('targetGroups', { name: 'mine', port: 5000 });
  const v2 = await model.update('targetGroups', 'mine', (r) => ({ ...r, port: 5001 }), v1.version);
  assert.equal(model.effective.targetGroups.find((g) => g.name === 'mine')!.port, 5001);
  await assert.rejects(model.update('targetGroups', 'mine', (r) => ({ ...r, port: 5002 }), v1.version), { code: 'ConflictException' });
  await model.remove('targetGroups', 'mine', v2.version);
  assert.deepEqual(names(model.effective), ['app']);
});

test('removing an API resource something still uses is refused, and nothing is deleted', async () => {
  const { model } = setup();
  await model.create('targetGroups', { name: 'blue', port: 5000 });
  await model.create('loadBalancers', { name: 'lb2', listeners: [{ port: 18081, defaultActions: [{ type: 'forward', targetGroup: 'blue' }] }] });
  await assert.rejects(model.remove('targetGroups', 'blue'), /target group "blue" is not defined/);
  assert.ok(model.get('targetGroups', 'blue'));
});

test('a reload reconciles file-owned records only', async () => {
  const { model, rewrite, path } = setup();
  await model.create('targetGroups', { name: 'api-tg', port: 5000 });
  const id = model.get('targetGroups', 'app')!.id;
  rewrite(`targetGroups:\n  - name: app\n    port: 4001\n  - name: extra\n    port: 4002\nloadBalancers:\n  - name: web\n    listeners:\n      - port: 18080\n        defaultActions: [{ type: forward, targetGroup: app }]\n`);
  model.loadFile(path);
  assert.deepEqual(names(model.effective), ['app', 'extra', 'api-tg']);
  assert.equal(model.get('targetGroups', 'app')!.id, id, 'a record keeps its id across reloads');
  assert.equal(model.effective.targetGroups[0]!.port, 4001);
  rewrite(`targetGroups:\n  - name: extra\n    port: 4002\n`);
  model.loadFile(path);
  assert.deepEqual(names(model.effective), ['extra', 'api-tg']);
  assert.equal(model.get('targetGroups', 'app'), undefined, 'gone from the file: gone from the model');
  assert.ok(model.get('targetGroups', 'api-tg'), 'API-created resources are untouched by a reload');
});

test('a file that declares a name the API owns is refused at its line, and the model stays', async () => {
  const { model, rewrite, path } = setup();
  await model.create('targetGroups', { name: 'api-tg', port: 5000 });
  rewrite(`targetGroups:\n  - name: app\n    port: 4000\n  - name: api-tg\n    port: 4003\n`);
  assert.throws(() => model.loadFile(path), /shoal\.yaml:4:\d+: targetGroups\[1\]\.name: target group "api-tg" was created through the API/);
  assert.equal(model.get('targetGroups', 'api-tg')!.owner.kind, 'api');
  assert.deepEqual(names(model.effective), ['app', 'api-tg']);
});

test('no config file: an empty model the API populates', async () => {
  const store = createMemoryStore(new ManualClock());
  const model = new ModelService({ store, clock: new ManualClock(), random: seededRandom(2) });
  model.loadFile(null);
  assert.deepEqual(model.effective.targetGroups, []);
  await model.create('targetGroups', { name: 'only', port: 80 });
  assert.deepEqual(names(model.effective), ['only']);
});

test('tags and meta can be set on file-owned records too, with If-Match', () => {
  const { model, path } = setup();
  const before = model.get('targetGroups', 'app')!;
  const r = model.annotate('targetGroups', 'app', (x) => ({ tags: { ...x.tags, env: 'dev' }, meta: { ...x.meta, note: 1 } }));
  assert.deepEqual(model.get('targetGroups', 'app')!.tags, { env: 'dev' });
  assert.deepEqual(model.get('targetGroups', 'app')!.meta, { note: 1 });
  assert.ok(r.version > before.version);
  assert.throws(() => model.annotate('targetGroups', 'app', (x) => x, before.version), { code: 'ConflictException' });
  model.loadFile(path);
  assert.deepEqual(model.get('targetGroups', 'app')!.tags, { env: 'dev' }, 'a reload keeps tags');
});
