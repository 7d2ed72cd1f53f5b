/**
 * From ARNs to the model and back: records (src/resources) for ids, tags and
 * meta, and the effective (normalized) spec for everything else.
 */
import type { Listener, LoadBalancer, Rule } from '../../../model/load-balancer.js';
import type { TargetGroup } from '../../../model/target-group.js';
import type { ResourceRecord } from '../../../resources/records.js';
import { awsError } from '../common/op.js';
import { derivedId, lbArn, listenerArn, parseArn, ruleArn, shortId, tgArn, type LbKind } from './arns.js';
import type { Elbv2Deps } from './deps.js';

export interface LbRef { rec: ResourceRecord; spec: LoadBalancer; kind: LbKind; id: string; arn: string }
export interface ListenerRef { lb: LbRef; index: number; listener: Listener; id: string; arn: string }
export interface RuleRef { listener: ListenerRef; rule: Rule | null; id: string; arn: string }

export class Resolver {
  constructor(readonly d: Elbv2Deps, readonly region: string) {}

  targetGroups(): Array<{ rec: ResourceRecord; spec: TargetGroup; arn: string }> {
    return this.d.model.effective.targetGroups.map((spec) => {
      const rec = this.d.model.get('targetGroups', spec.name)!;
      return { rec, spec, arn: tgArn(this.region, spec.name, shortId(rec.id)) };
    });
  }

  tgArnOf(name: string): string {
    const rec = this.d.model.get('targetGroups', name);
    if (!rec) throw tgNotFound(name);
    return tgArn(this.region, name, shortId(rec.id));
  }

  targetGroup(arn: string): { rec: ResourceRecord; spec: TargetGroup; arn: string } {
    const p = parseArn(arn);
    const found = p?.kind === 'targetgroup' ? this.targetGroups().find((t) => t.spec.name === p.name && shortId(t.rec.id) === p.id) : undefined;
    if (!found) throw tgNotFound(arn);
    return found;
  }

  loadBalancers(): LbRef[] {
    return this.d.model.effective.loadBalancers.map((spec) => this.lbRef(spec));
  }

  loadBalancer(arn: string): LbRef {
    const p = parseArn(arn);
    const found = p?.kind === 'loadbalancer' ? this.loadBalancers().find((l) => l.spec.name === p.name && l.id === p.id) : undefined;
    if (!found) throw awsError('LoadBalancerNotFound', `One or more load balancers not found: '${arn}'`);
    return found;
  }

  lbRef(spec: LoadBalancer): LbRef {
    const rec = this.d.model.get('loadBalancers', spec.name)!;
    const kind: LbKind = spec.type === 'network' ? 'net' : 'app';
    const id = shortId(rec.id);
    return { rec, spec, kind, id, arn: lbArn(this.region, kind, spec.name, id) };
  }

  listeners(lb: LbRef): ListenerRef[] {
    return lb.spec.listeners.map((listener, index) => {
      const id = listenerId(lb.rec, listener.port);
      return { lb, index, listener, id, arn: listenerArn(this.region, lb.kind, lb.spec.name, lb.id, id) };
    });
  }

  listener(arn: string): ListenerRef {
    const p = parseArn(arn);
    if (p?.kind === 'listener') {
      const lb = this.loadBalancers().find((l) => l.spec.name === p.lbName && l.id === p.lbId);
      const found = lb && this.listeners(lb).find((l) => l.id === p.listenerId);
      if (found) return found;
    }
    throw awsError('ListenerNotFound', `One or more listeners not found: '${arn}'`);
  }

  /** The listener's rules in priority order, then its default rule (rule null). */
  rules(l: ListenerRef): RuleRef[] {
    const rules = [...l.listener.rules].sort((a, b) => a.priority - b.priority).map((rule) => this.ruleRef(l, rule));
    const id = derivedId(l.lb.rec.id, `default/${l.id}`);
    return [...rules, { listener: l, rule: null, id, arn: ruleArn(this.region, l.lb.kind, l.lb.spec.name, l.lb.id, l.id, id) }];
  }

  rule(arn: string): RuleRef {
    const p = parseArn(arn);
    if (p?.kind === 'listener-rule') {
      const lb = this.loadBalancers().find((x) => x.spec.name === p.lbName && x.id === p.lbId);
      const l = lb && this.listeners(lb).find((x) => x.id === p.listenerId);
      const found = l && this.rules(l).find((r) => r.id === p.ruleId);
      if (found) return found;
    }
    throw awsError('RuleNotFound', `One or more rules not found: '${arn}'`);
  }

  private ruleRef(l: ListenerRef, rule: Rule): RuleRef {
    const id = ruleId(l.lb.rec, l.listener.port, rule.priority);
    return { listener: l, rule, id, arn: ruleArn(this.region, l.lb.kind, l.lb.spec.name, l.lb.id, l.id, id) };
  }
}

/** meta.listenerIds[port], or one derived from the record (file-owned load balancers). */
export function listenerId(rec: ResourceRecord, port: number): string {
  const ids = rec.meta?.listenerIds as Record<string, string> | undefined;
  return ids?.[String(port)] ?? derivedId(rec.id, `listener/${port}`);
}

/** meta.ruleIds["port/priority"], or one derived from the record. */
export function ruleId(rec: ResourceRecord, port: number, priority: number): string {
  const ids = rec.meta?.ruleIds as Record<string, string> | undefined;
  return ids?.[`${port}/${priority}`] ?? derivedId(rec.id, `rule/${port}/${priority}`);
}

export function tgNotFound(what: string): Error {
  return awsError('TargetGroupNotFound', `One or more target groups not found: '${what}'`);
}
