/**
 * AWS-shaped identifiers for load balancers and target groups, stable per
 * name: the CloudWatch dimension values (LoadBalancer "app/web/1a2b...",
 * TargetGroup "targetgroup/app/3c4d...") and ARNs. The 16-hex suffix is a hash
 * of the name, so it survives restarts and is the same on every shoal.
 */
import { createHash } from 'node:crypto';

export const REGION = 'local-1';
export const ACCOUNT = '000000000000';

function suffix(kind: string, name: string): string {
  return createHash('sha256').update(`${kind}/${name}`).digest('hex').slice(0, 16);
}

/** CloudWatch's LoadBalancer dimension value: app/NAME/ID. */
export function loadBalancerDimension(name: string): string {
  return `app/${name}/${suffix('loadbalancer', name)}`;
}

/** CloudWatch's TargetGroup dimension value: targetgroup/NAME/ID. */
export function targetGroupDimension(name: string): string {
  return `targetgroup/${name}/${suffix('targetgroup', name)}`;
}

export function loadBalancerArn(name: string): string {
  return `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/${loadBalancerDimension(name)}`;
}

export function targetGroupArn(name: string): string {
  return `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:${targetGroupDimension(name)}`;
}

/** The ResourceLabel of ALBRequestCountPerTarget: app/LB/ID/targetgroup/TG/ID. */
export function requestCountResourceLabel(loadBalancer: string, targetGroup: string): string {
  return `${loadBalancerDimension(loadBalancer)}/${targetGroupDimension(targetGroup)}`;
}
