/**
 * elbv2 rule operations: rules are part of their listener in the load
 * balancer's spec; each change is one versioned update of that record, and
 * rule ids are kept in its meta by "port/priority".
 */
import { awsError, page, required, type Input, type Operations, type Output } from '../common/op.js';
import { actionsIn, actionsOut, conditionsIn, conditionsOut } from './actions.js';
import type { Elbv2Deps } from './deps.js';
import { modelErrors } from './errors.js';
import { newId } from './listeners.js';
import { Resolver, type ListenerRef, type RuleRef } from './resolve.js';

type Raw = Record<string, unknown>;

export function ruleOps(d: Elbv2Deps): Operations {
  /** Rewrites one listener's raw rules and the rule ids with it. */
  const rewrite = async (l: ListenerRef, change: (rules: Raw[]) => Raw[], ids: (ruleIds: Record<string, string>) => Record<string, string>): Promise<void> => {
    await modelErrors(() => d.model.update('loadBalancers', l.lb.spec.name, (x) => {
      const listeners = [...(x.listeners as Raw[])];
      listeners[l.index] = { ...listeners[l.index], rules: change([...((listeners[l.index]!.rules as Raw[] | undefined) ?? [])]) };
      return { ...x, listeners };
    }, l.lb.rec.version));
    d.model.annotate('loadBalancers', l.lb.spec.name, (x) => ({ ...x, meta: { ...x.meta, ruleIds: ids({ ...(x.meta?.ruleIds as Record<string, string>) }) } }));
  };
  const priorityInUse = (): Error => awsError('PriorityInUse', 'Priority is in use');

  return {
    async CreateRule(input, ctx) {
      const r = new Resolver(d, ctx.region);
      const l = r.listener(required(input, 'ListenerArn'));
      const priority = required<number>(input, 'Priority');
      if (l.listener.rules.some((x) => x.priority === priority)) throw priorityInUse();
      const raw = { priority, conditions: conditionsIn(required(input, 'Conditions')), actions: actionsIn(r, required(input, 'Actions')) };
      const id = newId();
      await rewrite(l, (rules) => [...rules, raw], (ids) => ({ ...ids, [`${l.listener.port}/${priority}`]: id }));
      return { Rules: [describe(r, findRule(r, l, id))] };
    },

    DescribeRules(input, ctx) {
      const r = new Resolver(d, ctx.region);
      let all: RuleRef[];
      if (input.RuleArns !== undefined) all = (input.RuleArns as string[]).map((a) => r.rule(a));
      else if (input.ListenerArn !== undefined) all = r.rules(r.listener(input.ListenerArn));
      else throw awsError('ValidationError', 'You must specify either listener or rule ARNs');
      const p = page(all, input.Marker, input.PageSize);
      return { Rules: p.items.map((x) => describe(r, x)), ...(p.next ? { NextMarker: p.next } : {}) };
    },

    async ModifyRule(input, ctx) {
      const r = new Resolver(d, ctx.region);
      const rule = r.rule(required(input, 'RuleArn'));
      const l = rule.listener;
      const conditions = input.Conditions === undefined ? undefined : conditionsIn(input.Conditions);
      const actions = input.Actions === undefined ? undefined : actionsIn(r, input.Actions);
      if (rule.rule === null) {
        if (conditions !== undefined) throw awsError('OperationNotPermitted', 'The default rule has no conditions');
        if (actions === undefined) return { Rules: [describe(r, rule)] };
        await modelErrors(() => d.model.update('loadBalancers', l.lb.spec.name, (x) => {
          const listeners = [...(x.listeners as Raw[])];
          listeners[l.index] = { ...listeners[l.index], defaultActions: actions };
          return { ...x, listeners };
        }, l.lb.rec.version));
      } else {
        const prio = rule.rule.priority;
        await rewrite(l, (rules) => rules.map((x) => (x.priority === prio ? { ...x, ...(conditions ? { conditions } : {}), ...(actions ? { actions } : {}) } : x)), (ids) => ({ ...ids, [`${l.listener.port}/${prio}`]: rule.id }));
      }
      const fresh = r.listeners(r.loadBalancer(l.lb.arn)).find((x) => x.id === l.id)!;
      return { Rules: [describe(r, findRule(r, fresh, rule.id))] };
    },

    async DeleteRule(input, ctx) {
      const r = new Resolver(d, ctx.region);
      const rule = r.rule(required(input, 'RuleArn'));
      if (rule.rule === null) throw awsError('OperationNotPermitted', 'Default rule cannot be deleted');
      const prio = rule.rule.priority;
      const port = rule.listener.listener.port;
      await rewrite(rule.listener, (rules) => rules.filter((x) => x.priority !== prio), (ids) => {
        delete ids[`${port}/${prio}`];
        return ids;
      });
      return {};
    },

    async SetRulePriorities(input, ctx) {
      const r = new Resolver(d, ctx.region);
      const moves = required<Input[]>(input, 'RulePriorities').map((m) => ({ rule: r.rule(String(m.RuleArn)), priority: Number(m.Priority) }));
      if (moves.some((m) => m.rule.rule === null)) throw awsError('OperationNotPermitted', 'The default rule has no priority to set');
      const l = moves[0]!.rule.listener;
      if (moves.some((m) => m.rule.listener.id !== l.id)) throw awsError('ValidationError', 'All rules must belong to the same listener');
      const next = new Map(l.listener.rules.map((x) => [x.priority, x.priority]));
      for (const m of moves) next.set(m.rule.rule!.priority, m.priority);
      if (new Set(next.values()).size !== next.size) throw priorityInUse();
      await rewrite(l, (rules) => rules.map((x) => ({ ...x, priority: next.get(x.priority as number) ?? x.priority })), (ids) => {
        const out: Record<string, string> = {};
        for (const ref of r.rules(l)) if (ref.rule) out[`${l.listener.port}/${next.get(ref.rule.priority)}`] = ref.id;
        for (const [k, v] of Object.entries(ids)) if (!k.startsWith(`${l.listener.port}/`)) out[k] = v;
        return out;
      });
      const fresh = r.listeners(r.loadBalancer(l.lb.arn)).find((x) => x.id === l.id)!;
      return { Rules: moves.map((m) => describe(r, findRule(r, fresh, m.rule.id))) };
    },
  };
}

function findRule(r: Resolver, l: ListenerRef, id: string): RuleRef {
  const fresh = r.listeners(r.loadBalancer(l.lb.arn)).find((x) => x.id === l.id)!;
  return r.rules(fresh).find((x) => x.id === id)!;
}

function describe(r: Resolver, x: RuleRef): Output {
  if (x.rule === null) {
    return { RuleArn: x.arn, Priority: 'default', Conditions: [], Actions: actionsOut(r, x.listener.listener.defaultActions), IsDefault: true };
  }
  return { RuleArn: x.arn, Priority: String(x.rule.priority), Conditions: conditionsOut(x.rule.conditions), Actions: actionsOut(r, x.rule.actions), IsDefault: false };
}
