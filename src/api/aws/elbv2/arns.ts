/**
 * elbv2 ARNs: rendered in the region the client signed for (shoal has one
 * region, whatever its name), parsed whatever region or account they name.
 *   loadbalancer/app/NAME/ID           targetgroup/NAME/ID
 *   listener/app/LB/LBID/LID           listener-rule/app/LB/LBID/LID/RID
 * IDs are 16 hex: a record's id (src/resources) cut to 16; listener and rule
 * ids are kept in the load balancer record's meta when the API made them,
 * and derived from the record id for the file's (stable while port and
 * priority are).
 */
import { createHash } from 'node:crypto';
import { ACCOUNT_ID } from '../common/op.js';

export type LbKind = 'app' | 'net';

export type ParsedArn =
  | { kind: 'loadbalancer'; lbKind: LbKind; name: string; id: string }
  | { kind: 'targetgroup'; name: string; id: string }
  | { kind: 'listener'; lbKind: LbKind; lbName: string; lbId: string; listenerId: string }
  | { kind: 'listener-rule'; lbKind: LbKind; lbName: string; lbId: string; listenerId: string; ruleId: string };

const PREFIX = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]*:\d*:(.+)$/;

function base(region: string): string {
  return `arn:aws:elasticloadbalancing:${region}:${ACCOUNT_ID}:`;
}

export function shortId(recordId: string): string {
  return recordId.slice(0, 16);
}

export function lbArn(region: string, kind: LbKind, name: string, id: string): string {
  return `${base(region)}loadbalancer/${kind}/${name}/${id}`;
}

export function tgArn(region: string, name: string, id: string): string {
  return `${base(region)}targetgroup/${name}/${id}`;
}

export function listenerArn(region: string, kind: LbKind, lbName: string, lbId: string, listenerId: string): string {
  return `${base(region)}listener/${kind}/${lbName}/${lbId}/${listenerId}`;
}

export function ruleArn(region: string, kind: LbKind, lbName: string, lbId: string, listenerId: string, ruleId: string): string {
  return `${base(region)}listener-rule/${kind}/${lbName}/${lbId}/${listenerId}/${ruleId}`;
}

/** A stable 16-hex id derived from a record id and a name for the part. */
export function derivedId(recordId: string, part: string): string {
  return createHash('sha256').update(`${recordId}/${part}`).digest('hex').slice(0, 16);
}

export function parseArn(arn: string): ParsedArn | null {
  const m = PREFIX.exec(arn);
  if (m === null) return null;
  const p = m[1]!.split('/');
  const kind = p[1] === 'app' || p[1] === 'net' ? p[1] : null;
  if (p[0] === 'targetgroup' && p.length === 3) return { kind: 'targetgroup', name: p[1]!, id: p[2]! };
  if (kind === null) return null;
  if (p[0] === 'loadbalancer' && p.length === 4) return { kind: 'loadbalancer', lbKind: kind, name: p[2]!, id: p[3]! };
  if (p[0] === 'listener' && p.length === 5) return { kind: 'listener', lbKind: kind, lbName: p[2]!, lbId: p[3]!, listenerId: p[4]! };
  if (p[0] === 'listener-rule' && p.length === 6) {
    return { kind: 'listener-rule', lbKind: kind, lbName: p[2]!, lbId: p[3]!, listenerId: p[4]!, ruleId: p[5]! };
  }
  return null;
}
