/**
 * The Auto Scaling API as the CLI uses it, on real processes: describe,
 * activity, set-desired-capacity's AWS error, logs, create-image and a new
 * launch template version launched from it, terminate-instance --decrement.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { callApi } from '../../src/cli/client.js';
import { freePort } from '../support/backends.js';
import { endpointOf } from '../support/api.js';
import { get, groupConfig, inService, startAsgDaemon, waitFor } from './asg-support.js';

test('API: describe, activity, errors, logs, create-image, template versions, terminate --decrement', async () => {
  const lbPort = await freePort();
  const appPort = await freePort();
  const s = await startAsgDaemon(groupConfig({ lbPort, appPort, min: 0, max: 2, desired: 1, zones: ['zone-a'], userData: '#!/bin/sh\necho "booting $INSTANCE_ID"\nexec node server.js\n' }));
  const call = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => callApi<T>(endpointOf(s.daemon), method, path, body);
  try {
    const [id] = await waitFor('1 instance in service', () => (inService(s.asg).length === 1 ? inService(s.asg) : undefined));
    const desc = await call<{ Instances: { InstanceId: string; LifecycleState: string; PrivateIpAddress: string }[]; Status: string[] }>('GET', '/_shoal/auto-scaling-groups/app');
    assert.equal(desc.Instances[0]!.InstanceId, id);
    assert.match(desc.Instances[0]!.PrivateIpAddress, /^127\.0\.\d+\.\d+$/);

    await assert.rejects(call('POST', '/_shoal/auto-scaling-groups/app/desired-capacity', { desiredCapacity: 3 }),
      { code: 'ValidationError', message: 'New SetDesiredCapacity value 3 is above max value 2 for the AutoScalingGroup.' });

    const boot = await call<{ text: string }>('GET', `/_shoal/instances/${id}/logs/boot`);
    assert.match(boot.text, new RegExp(`booting ${id}`));

    const img = await call<{ ImageId: string; Image: { location: string } }>('POST', '/_shoal/images', { instanceId: id, name: 'hello-snapshot' });
    assert.match(img.ImageId, /^ami-[0-9a-f]{17}$/);
    assert.ok(existsSync(join(img.Image.location, 'server.js')));
    await assert.rejects(call('POST', '/_shoal/images', { instanceId: id, name: 'hello-snapshot' }), { code: 'InvalidAMIName.Duplicate' });

    const v = await call<{ LaunchTemplateVersion: { versionNumber: number } }>('POST', '/_shoal/launch-templates/app/versions', {
      launchTemplateData: { imageId: img.ImageId, environment: { GREETING: 'v2' } },
    });
    assert.equal(v.LaunchTemplateVersion.versionNumber, 2);
    await call('POST', '/_shoal/auto-scaling-groups/app/desired-capacity', { desiredCapacity: 2 });
    const two = await waitFor('2 in service', () => (inService(s.asg).length === 2 ? inService(s.asg) : undefined));
    const newer = two.find((x) => x !== id)!;
    assert.equal(s.asg.group('app')!.find(newer)!.templateVersion, 2, '$Latest is now version 2');
    await waitFor('the new instance answers', async () => (await get(lbPort, '/')).body.includes('template version 2') || undefined);

    // Default termination policy: the instance on the older template version goes first.
    await call('POST', `/_shoal/instances/${id}/terminate`, { shouldDecrementDesiredCapacity: true });
    assert.equal(s.asg.group('app')!.state.desiredCapacity, 1);
    await waitFor('the old one gone', () => (s.asg.group('app')!.find(id!) ? undefined : true), 30_000);
    const acts = await call<{ Activities: { Description: string; Cause: string; StatusCode: string }[] }>('GET', '/_shoal/auto-scaling-groups/app/activities');
    const term = acts.Activities.find((a) => a.Description === `Terminating EC2 instance: ${id}`)!;
    assert.match(term.Cause, new RegExp(`instance ${id} was taken out of service in response to a user request, shrinking the capacity from 2 to 1\\.`));
    assert.equal(term.StatusCode, 'Successful');
  } finally {
    await s.destroy();
  }
});
