/**
 * EC2 (API 2016-11-15) operations over shoal's model: launch templates and
 * their versions, instances (Auto Scaling groups' and standalone ones from
 * RunInstances), images, zones / the VPC / subnets, security groups (stored,
 * not enforced), tags, console output. See docs/aws-api.md, section EC2.
 */
import { awsError, type Operation, type Operations } from '../common/op.js';
import { Ec2Context } from './context.js';
import type { Ec2Deps } from './deps.js';
import { imageOps } from './images.js';
import { networkOps } from './network.js';
import { instanceOps } from './instances.js';
import { runOps } from './run.js';
import { securityGroupOps } from './security-groups.js';
import { tagOps } from './tags.js';
import { launchTemplateOps } from './launch-templates.js';
import { versionOps } from './lt-versions.js';

export type { Ec2Deps } from './deps.js';

const ALL = [
  'CreateLaunchTemplate', 'DescribeLaunchTemplates', 'ModifyLaunchTemplate', 'DeleteLaunchTemplate', 'CreateLaunchTemplateVersion',
  'DescribeLaunchTemplateVersions', 'RunInstances', 'DescribeInstances', 'DescribeInstanceStatus', 'StartInstances', 'StopInstances',
  'TerminateInstances', 'CreateImage', 'DescribeImages', 'DescribeAvailabilityZones', 'DescribeVpcs', 'DescribeSubnets',
  'CreateSecurityGroup', 'DescribeSecurityGroups', 'AuthorizeSecurityGroupIngress', 'CreateTags', 'GetConsoleOutput',
];

export function operations(d: Ec2Deps): Operations {
  let ctx: Ec2Context | undefined;
  const context = () => (ctx ??= new Ec2Context(d));
  const build = (): Operations => ({
    ...launchTemplateOps(context()), ...versionOps(context()), ...imageOps(context()), ...networkOps(context()),
    ...instanceOps(context()), ...runOps(context()),
    ...securityGroupOps(context()), ...tagOps(context()),
  });
  let ops: Operations | undefined;
  const out: Operations = {};
  for (const name of ALL) {
    out[name] = withDryRun(name, (input, c) => {
      const op = (ops ??= build())[name];
      if (!op) throw awsError('UnsupportedOperation', `${name} is not supported by shoal yet`);
      return op(input, c);
    });
  }
  return out;
}

/** EC2's DryRun: the request is checked for permissions only; shoal grants all, so it answers DryRunOperation. */
function withDryRun(name: string, op: Operation): Operation {
  return (input, ctx) => {
    if (input.DryRun === true) throw awsError('DryRunOperation', `Request would have succeeded, but DryRun flag is set (${name}).`, 412);
    return op(input, ctx);
  };
}
