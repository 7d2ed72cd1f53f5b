import { test } from 'node:test';
import assert from 'node:assert/strict';
import { b64, setup } from './testing.js';

const hello = async (call: ReturnType<typeof setup>['call']): Promise<string> =>
  (await call('DescribeImages', { Filters: [{ Name: 'name', Values: ['shoal/hello'] }] })).Images[0].ImageId;

test('CreateLaunchTemplate from the built-in image: a model record, its lt- id, the data shown back', async () => {
  const { call, model } = setup();
  const imageId = await hello(call);
  const out = await call('CreateLaunchTemplate', {
    LaunchTemplateName: 'web-api-template', VersionDescription: 'first',
    LaunchTemplateData: {
      ImageId: imageId, InstanceType: 't3.medium', SecurityGroupIds: ['sg-12345678'], UserData: b64('exec node server.js'),
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web-api-instance' }] }],
    },
    TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'team', Value: 'a' }] }],
  });
  const rec = model.get('launchTemplates', 'web-api-template')!;
  assert.deepEqual(rec.raw, { name: 'web-api-template', defaultVersion: 1, versions: [{ imageId, instanceType: 't3.medium', userData: 'exec node server.js', environment: {}, tags: { Name: 'web-api-instance' } }] });
  assert.deepEqual(out.LaunchTemplate, {
    LaunchTemplateId: `lt-${rec.id}`, LaunchTemplateName: 'web-api-template', CreateTime: new Date(rec.createdAt),
    CreatedBy: 'arn:aws:iam::000000000000:root', DefaultVersionNumber: 1, LatestVersionNumber: 1, Tags: [{ Key: 'team', Value: 'a' }],
  });
  const v = (await call('DescribeLaunchTemplateVersions', { LaunchTemplateId: `lt-${rec.id}` })).LaunchTemplateVersions;
  assert.equal(v.length, 1);
  assert.equal(v[0].VersionDescription, 'first');
  assert.equal(v[0].DefaultVersion, true);
  assert.deepEqual(v[0].LaunchTemplateData, {
    ImageId: imageId, InstanceType: 't3.medium', SecurityGroupIds: ['sg-12345678'], UserData: b64('exec node server.js'),
    TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web-api-instance' }] }],
  });
});

test('errors: a taken name, an unknown image, bad base64, an unsupported field; nothing is written', async () => {
  const { call, model } = setup();
  const imageId = await hello(call);
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a file-owned name', { LaunchTemplateName: 'filelt', LaunchTemplateData: { ImageId: imageId } }, 'InvalidLaunchTemplateName.AlreadyExistsException'],
    ['the tutorial placeholder image', { LaunchTemplateName: 'x1', LaunchTemplateData: { ImageId: 'ami-12345678' } }, 'InvalidAMIID.NotFound'],
    ['no image', { LaunchTemplateName: 'x2', LaunchTemplateData: { InstanceType: 't3.micro' } }, 'InvalidParameterValue'],
    ['user data not base64', { LaunchTemplateName: 'x3', LaunchTemplateData: { ImageId: imageId, UserData: '<base64-encoded-startup-script>' } }, 'InvalidUserData.Malformed'],
    ['an unsupported field', { LaunchTemplateName: 'x4', LaunchTemplateData: { ImageId: imageId, InstanceRequirements: {} } }, 'UnsupportedOperation'],
    ['a bad instance type', { LaunchTemplateName: 'x5', LaunchTemplateData: { ImageId: imageId, InstanceType: 'huge' } }, 'ValidationError'],
  ];
  for (const [what, input, code] of cases) {
    await assert.rejects(call('CreateLaunchTemplate', input), { code }, what);
  }
  assert.deepEqual(model.list('launchTemplates').map((r) => r.name), ['filelt']);
  await assert.rejects(call('DescribeLaunchTemplates', { LaunchTemplateNames: ['nope'] }), { code: 'InvalidLaunchTemplateName.NotFoundException' });
  await assert.rejects(call('DescribeLaunchTemplates', { LaunchTemplateIds: ['lt-0123456789abcdef0'] }), { code: 'InvalidLaunchTemplateId.NotFound' });
  await assert.rejects(call('DescribeLaunchTemplates', { DryRun: true }), { code: 'DryRunOperation' });
});

test('versions of an API-owned template are model updates; SourceVersion copies, ModifyLaunchTemplate sets the default', async () => {
  const { call, model } = setup();
  const imageId = await hello(call);
  await call('CreateLaunchTemplate', { LaunchTemplateName: 'lt1', LaunchTemplateData: { ImageId: imageId, InstanceType: 't3.small', UserData: b64('echo 1') } });
  const v2 = await call('CreateLaunchTemplateVersion', { LaunchTemplateName: 'lt1', SourceVersion: '1', LaunchTemplateData: { InstanceType: 't3.large' } });
  assert.equal(v2.LaunchTemplateVersion.VersionNumber, 2);
  assert.equal(v2.LaunchTemplateVersion.DefaultVersion, false);
  assert.deepEqual(v2.LaunchTemplateVersion.LaunchTemplateData, { ImageId: imageId, InstanceType: 't3.large', UserData: b64('echo 1') });
  assert.equal((model.get('launchTemplates', 'lt1')!.raw.versions as unknown[]).length, 2);
  await assert.rejects(call('CreateLaunchTemplateVersion', { LaunchTemplateName: 'lt1', SourceVersion: '9', LaunchTemplateData: {} }), { code: 'InvalidLaunchTemplateId.VersionNotFound' });
  await assert.rejects(call('ModifyLaunchTemplate', { LaunchTemplateName: 'lt1', DefaultVersion: '3' }), { code: 'InvalidLaunchTemplateId.VersionNotFound' });
  const m = await call('ModifyLaunchTemplate', { LaunchTemplateName: 'lt1', DefaultVersion: '2' });
  assert.equal(m.LaunchTemplate.DefaultVersionNumber, 2);
  assert.equal(model.get('launchTemplates', 'lt1')!.raw.defaultVersion, 2);
  const d = await call('DescribeLaunchTemplateVersions', { LaunchTemplateName: 'lt1', Versions: ['$Default', '$Latest', '1'] });
  assert.deepEqual(d.LaunchTemplateVersions.map((v: { VersionNumber: number }) => v.VersionNumber), [2, 2, 1]);
  const byFilter = await call('DescribeLaunchTemplateVersions', { LaunchTemplateName: 'lt1', Filters: [{ Name: 'instance-type', Values: ['t3.small'] }] });
  assert.deepEqual(byFilter.LaunchTemplateVersions.map((v: { VersionNumber: number }) => v.VersionNumber), [1]);
  const del = await call('DeleteLaunchTemplate', { LaunchTemplateName: 'lt1' });
  assert.equal(del.LaunchTemplate.LatestVersionNumber, 2);
  assert.equal(model.get('launchTemplates', 'lt1'), undefined);
});

test('a file-owned template: runtime versions and default; deleting it answers ResourceOwnedByFile', async () => {
  const { call, model, svc } = setup();
  const imageId = await hello(call);
  const lt = (await call('DescribeLaunchTemplates', { Filters: [{ Name: 'launch-template-name', Values: ['file*'] }] })).LaunchTemplates[0];
  assert.equal(lt.LaunchTemplateId, `lt-${model.get('launchTemplates', 'filelt')!.id}`);
  assert.equal(svc.templates.get('filelt').launchTemplateId, lt.LaunchTemplateId, 'shoal\'s own view has the same id');
  const v2 = await call('CreateLaunchTemplateVersion', { LaunchTemplateId: lt.LaunchTemplateId, LaunchTemplateData: { ImageId: imageId } });
  assert.equal(v2.LaunchTemplateVersion.VersionNumber, 2);
  assert.equal(svc.templates.resolve('filelt', '$Latest').source, 'api');
  await call('ModifyLaunchTemplate', { LaunchTemplateName: 'filelt', DefaultVersion: '2' });
  svc.sync(model.effective); // a reload with the same file keeps the runtime default
  assert.equal(svc.templates.get('filelt').defaultVersion, 2);
  await assert.rejects(call('DeleteLaunchTemplate', { LaunchTemplateName: 'filelt' }), (err: Error & { code: string }) => {
    assert.equal(err.code, 'ResourceOwnedByFile');
    assert.match(err.message, /shoal\.yaml:2/);
    return true;
  });
});
