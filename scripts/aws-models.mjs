#!/usr/bin/env node
// Writes src/api/aws/models/<service>.json: AWS's own API definitions (botocore's
// service-2.json) trimmed to the operations shoal implements and the shapes they
// reach, documentation dropped. Run by hand when the operation lists change:
//   node scripts/aws-models.mjs [path/to/botocore/data]
// (default: the data directory of the `botocore` in `python3`).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

const OPERATIONS = {
  elbv2: ['2015-12-01', `CreateLoadBalancer DescribeLoadBalancers DeleteLoadBalancer ModifyLoadBalancerAttributes DescribeLoadBalancerAttributes
    CreateListener DescribeListeners ModifyListener DeleteListener CreateRule DescribeRules ModifyRule DeleteRule SetRulePriorities
    CreateTargetGroup DescribeTargetGroups ModifyTargetGroup DeleteTargetGroup ModifyTargetGroupAttributes DescribeTargetGroupAttributes
    RegisterTargets DeregisterTargets DescribeTargetHealth AddTags RemoveTags DescribeTags DescribeSSLPolicies`],
  autoscaling: ['2011-01-01', `CreateAutoScalingGroup UpdateAutoScalingGroup DeleteAutoScalingGroup DescribeAutoScalingGroups DescribeAutoScalingInstances
    SetDesiredCapacity TerminateInstanceInAutoScalingGroup SetInstanceHealth SetInstanceProtection AttachInstances DetachInstances EnterStandby ExitStandby
    AttachLoadBalancerTargetGroups DetachLoadBalancerTargetGroups AttachTrafficSources DetachTrafficSources DescribeTrafficSources
    DescribePolicies PutScalingPolicy DeletePolicy ExecutePolicy PutScheduledUpdateGroupAction DescribeScheduledActions DeleteScheduledAction
    DescribeScalingActivities PutLifecycleHook DescribeLifecycleHooks DeleteLifecycleHook CompleteLifecycleAction RecordLifecycleActionHeartbeat
    StartInstanceRefresh DescribeInstanceRefreshes CancelInstanceRefresh RollbackInstanceRefresh PutWarmPool DescribeWarmPool DeleteWarmPool
    SuspendProcesses ResumeProcesses CreateOrUpdateTags DeleteTags DescribeTags DescribeAccountLimits`],
  ec2: ['2016-11-15', `CreateLaunchTemplate DescribeLaunchTemplates ModifyLaunchTemplate DeleteLaunchTemplate CreateLaunchTemplateVersion
    DescribeLaunchTemplateVersions RunInstances DescribeInstances DescribeInstanceStatus StartInstances StopInstances TerminateInstances
    CreateImage DescribeImages DescribeAvailabilityZones DescribeVpcs DescribeSubnets CreateSecurityGroup DescribeSecurityGroups
    AuthorizeSecurityGroupIngress CreateTags GetConsoleOutput`],
  cloudwatch: ['2010-08-01', `PutMetricData GetMetricStatistics GetMetricData ListMetrics PutMetricAlarm DescribeAlarms DescribeAlarmsForMetric
    DeleteAlarms SetAlarmState DescribeAlarmHistory EnableAlarmActions DisableAlarmActions`],
  ecs: ['2014-11-13', `CreateCluster DescribeClusters ListClusters DeleteCluster RegisterTaskDefinition DescribeTaskDefinition
    ListTaskDefinitions ListTaskDefinitionFamilies DeregisterTaskDefinition CreateService UpdateService DescribeServices ListServices
    DeleteService ListTasks DescribeTasks StopTask TagResource UntagResource ListTagsForResource`],
};

const data = process.argv[2] ?? join(execFileSync('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8' }).trim(), 'data');
const version = execFileSync('python3', ['-c', 'import botocore;print(botocore.__version__)'], { encoding: 'utf8' }).trim();

function load(service, api) {
  const base = join(data, service, api, 'service-2.json');
  return JSON.parse(existsSync(base) ? readFileSync(base, 'utf8') : gunzipSync(readFileSync(`${base}.gz`)).toString('utf8'));
}

function strip(value) {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) if (k !== 'documentation' && k !== 'deprecatedMessage') out[k] = strip(v);
  return out;
}

for (const [service, [api, list]] of Object.entries(OPERATIONS)) {
  const full = load(service, api);
  const names = list.split(/\s+/).filter(Boolean);
  const shapes = {};
  const reach = (name) => {
    if (shapes[name] || !full.shapes[name]) return;
    const s = strip(full.shapes[name]);
    shapes[name] = s;
    for (const m of Object.values(s.members ?? {})) reach(m.shape);
    if (s.member) reach(s.member.shape);
    if (s.key) reach(s.key.shape);
    if (s.value) reach(s.value.shape);
  };
  const operations = {};
  for (const op of names) {
    const o = full.operations[op];
    if (!o) throw new Error(`${service}: no operation ${op}`);
    operations[op] = strip({ name: op, http: o.http, input: o.input, output: o.output, errors: o.errors });
    if (o.input) reach(o.input.shape);
    if (o.output) reach(o.output.shape);
    for (const e of o.errors ?? []) reach(e.shape);
  }
  const meta = full.metadata;
  const model = {
    source: `botocore ${version}`,
    metadata: strip(meta),
    // Every operation AWS has, so a call for one shoal does not implement is told so by name.
    allOperations: Object.keys(full.operations),
    operations,
    shapes,
  };
  const file = new URL(`../src/api/aws/models/${service}.json`, import.meta.url);
  writeFileSync(file, `${JSON.stringify(model)}\n`);
  console.log(`${service}: ${names.length} operations, ${Object.keys(shapes).length} shapes -> ${file.pathname}`);
}
