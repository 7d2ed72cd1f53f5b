import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answer, type MetadataRecord } from './metadata-server.js';

const rec: MetadataRecord = {
  instanceId: 'i-0aaaaaaaaaaaaaaaaa', instanceType: 't3.micro', privateIp: '127.0.2.11',
  availabilityZone: 'zone-b', userData: 'exec node server.js', tags: { Name: 'web', 'aws:autoscaling:groupName': 'app' },
};

const cases: Array<[string, string, string | undefined]> = [
  ['instance id', '/latest/meta-data/instance-id', 'i-0aaaaaaaaaaaaaaaaa'],
  ['address', '/latest/meta-data/local-ipv4', '127.0.2.11'],
  ['zone', '/latest/meta-data/placement/availability-zone', 'zone-b'],
  ['type', '/latest/meta-data/instance-type', 't3.micro'],
  ['hostname in EC2 style', '/latest/meta-data/local-hostname', 'ip-127-0-2-11.shoal.internal'],
  ['user data', '/latest/user-data', 'exec node server.js'],
  ['a tag with a colon', '/latest/meta-data/tags/instance/aws%3Aautoscaling%3AgroupName', 'app'],
  ['tag keys', '/latest/meta-data/tags/instance/', 'Name\naws:autoscaling:groupName'],
  ['directory without its slash', '/latest/meta-data/placement', 'availability-zone'],
  ['unknown path', '/latest/meta-data/ami-launch-index', undefined],
  ['outside /latest', '/other', undefined],
];

for (const [what, path, want] of cases) {
  test(`metadata answer: ${what}`, () => assert.equal(answer(rec, path), want));
}

test('metadata answer: listing names instance-id, no user-data without userData', () => {
  assert.match(answer(rec, '/latest/meta-data/') ?? '', /^hostname\ninstance-id\n/m);
  assert.equal(answer({ ...rec, userData: undefined }, '/latest/user-data'), undefined);
});
