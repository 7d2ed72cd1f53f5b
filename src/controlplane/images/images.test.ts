import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../core/clock.js';
import { seededRandom } from '../../core/random.js';
import { createMemoryStore } from '../../store/index.js';
import { ImageCatalog, imageIdForPath } from './images.js';
import { LaunchTemplates } from './launch-templates.js';

function setup() {
  const clock = new ManualClock(Date.UTC(2026, 11, 1));
  const store = createMemoryStore(clock);
  const images = new ImageCatalog({ store, stateDir: '/nonexistent', clock, random: seededRandom(1) });
  return { images, templates: new LaunchTemplates({ store, images, clock, random: seededRandom(2) }) };
}

test('a container image in a launch template: registered under a stable id, launched by its reference', () => {
  const { images, templates } = setup();
  templates.sync([{ name: 'c', defaultVersion: 1, versions: [{ imageId: 'docker:shoal-test/hello:1', instanceType: 't3.micro', userData: '', environment: {}, tags: {} }] }]);
  const v = templates.resolve('c', '$Latest');
  assert.equal(v.data.imageId, imageIdForPath('docker:shoal-test/hello:1'));
  assert.equal(images.directory(v.data.imageId), 'docker:shoal-test/hello:1', 'no directory check: each engine is asked at launch');
  assert.equal(images.get(v.data.imageId)?.name, 'docker:shoal-test/hello:1');
});

test('a malformed container image in a runtime version is refused with the expected form', () => {
  const { templates } = setup();
  assert.throws(
    () => templates.sync([{ name: 'c', defaultVersion: 1, versions: [{ imageId: 'docker:UPPER/case', instanceType: 't3.micro', userData: '', environment: {}, tags: {} }] }]),
    /expected docker:repo\/name:tag/,
  );
});
