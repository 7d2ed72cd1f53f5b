// The console's create flows for launch template versions and Auto Scaling
// groups, with the AWS console's field names and defaults. They post to the
// same JSON API as the CLI, which writes the same model as the config file
// and the AWS API (so the file's validation and its messages apply).
import { enc, post } from '../api.js';
import { h } from '../dom.js';
import { action, type Field } from '../dialog.js';
import type { PageContext } from '../router.js';
import type { LaunchTemplate, Status } from '../types.js';

const latest = (t: LaunchTemplate) => Math.max(...t.versions.map((v) => v.versionNumber));

/** "Modify template (Create new version)": a source version's settings, changed where the form says. */
export function createTemplateVersion(c: PageContext, t: LaunchTemplate): HTMLElement {
  return action('Create version', () => {
    const source = t.versions.find((v) => v.versionNumber === t.defaultVersion) ?? t.versions[t.versions.length - 1]!;
    const fields: Field[] = [
      { name: 'source', label: 'Source template version', type: 'select', value: String(source.versionNumber), options: t.versions.map((v) => String(v.versionNumber)) },
      { name: 'description', label: 'Template version description', type: 'text', value: '', optional: true },
      { name: 'imageId', label: 'Application and OS Images (AMI ID, or empty to keep the source\'s)', type: 'text', value: '', optional: true },
      { name: 'instanceType', label: 'Instance type (empty to keep the source\'s)', type: 'text', value: '', optional: true },
      { name: 'userData', label: 'User data (empty to keep the source\'s)', type: 'textarea', value: '', optional: true },
      { name: 'setDefault', label: 'Set as the default version', type: 'checkbox', value: false },
    ];
    return {
      title: `Create a new version of launch template ${t.name}`,
      body: h('p', { class: 'muted' }, `Versions 1 to ${latest(t)} exist; the default is ${t.defaultVersion}. Groups on $Latest use the new version for their next launches; an instance refresh replaces running ones.`),
      fields, confirm: 'Create template version',
      run: async (v) => {
        const data: Record<string, string> = {};
        for (const k of ['imageId', 'instanceType', 'userData'] as const) if (String(v[k]).trim() !== '') data[k] = String(v[k]);
        await post(`/_shoal/launch-templates/${enc(t.name)}/versions`, {
          sourceVersion: String(v.source), launchTemplateData: data, setDefault: v.setDefault === true,
          ...(String(v.description).trim() ? { versionDescription: String(v.description) } : {}),
        });
        c.refresh();
      },
    };
  }, { name: 'create-template-version' });
}

/**
 * "Create Auto Scaling group": name and launch template, zones, target
 * groups with ELB health checks, group size, and an optional target
 * tracking policy on average CPU (the AWS console's steps, one form).
 */
export function createAutoScalingGroup(c: PageContext, status: Status, templates: readonly LaunchTemplate[]): HTMLElement {
  return action('Create Auto Scaling group', () => ({
    title: 'Create an Auto Scaling group',
    body: h('p', { class: 'muted' }, 'Made through the API (not the config file). The group launches its instances at once.'),
    fields: [
      { name: 'name', label: 'Auto Scaling group name', type: 'text', value: '' },
      { name: 'template', label: 'Launch template', type: 'select', value: templates[0]?.name, options: templates.map((t) => t.name) },
      { name: 'version', label: 'Version', type: 'select', value: '$Default', options: ['$Default', '$Latest'] },
      ...status.zones.map((z, i): Field => ({ name: `zone:${z.name}`, label: `Availability Zone ${z.name} (${z.subnetId}, ${z.cidr})`, type: 'checkbox', value: i < 2 })),
      ...status.targetGroups.map((g): Field => ({ name: `tg:${g.name}`, label: `Attach to target group ${g.name} (${g.protocol}:${g.port})`, type: 'checkbox', value: false })),
      { name: 'elb', label: 'Turn on Elastic Load Balancing health checks', type: 'checkbox', value: false },
      { name: 'grace', label: 'Health check grace period (seconds)', type: 'number', value: 300 },
      { name: 'desired', label: 'Desired capacity', type: 'number', value: 1 },
      { name: 'min', label: 'Min desired capacity', type: 'number', value: 1 },
      { name: 'max', label: 'Max desired capacity', type: 'number', value: 1 },
      { name: 'tracking', label: 'Target tracking scaling policy (Average CPU utilization)', type: 'checkbox', value: false },
      { name: 'target', label: 'Target value (%)', type: 'number', value: 50 },
      { name: 'warmup', label: 'Instance warmup (seconds)', type: 'number', value: 300 },
    ],
    confirm: 'Create Auto Scaling group',
    run: async (v) => {
      const chosen = (prefix: string) => Object.keys(v).filter((k) => k.startsWith(prefix) && v[k] === true).map((k) => k.slice(prefix.length));
      const name = String(v.name);
      await post('/_shoal/auto-scaling-groups', {
        name, launchTemplate: { name: v.template, version: v.version },
        availabilityZones: chosen('zone:'), targetGroups: chosen('tg:'),
        healthCheckType: v.elb === true ? 'ELB' : 'EC2', healthCheckGracePeriod: Number(v.grace),
        desiredCapacity: Number(v.desired), minSize: Number(v.min), maxSize: Number(v.max),
        ...(v.tracking === true ? { scalingPolicies: [{
          name: 'Target Tracking Policy', policyType: 'TargetTrackingScaling', estimatedInstanceWarmup: Number(v.warmup),
          targetTrackingConfiguration: { predefinedMetricType: 'ASGAverageCPUUtilization', targetValue: Number(v.target) },
        }] } : {}),
      });
      location.hash = `#/asg/${encodeURIComponent(name)}`;
      c.refresh();
    },
  }), { name: 'create-auto-scaling-group' });
}
