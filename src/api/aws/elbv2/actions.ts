/**
 * Listener and rule actions and rule conditions between AWS's shapes and the
 * config's form: AWS input -> raw config data (what a YAML file would say,
 * validated by the model service), normalized spec -> AWS output.
 */
import type { Action, Condition } from '../../../model/load-balancer.js';
import { awsError, type Input } from '../common/op.js';
import type { Resolver } from './resolve.js';

type Raw = Record<string, unknown>;

const UNSUPPORTED_ACTIONS = new Set(['authenticate-oidc', 'authenticate-cognito', 'jwt-validation']);

export function actionsIn(r: Resolver, actions: Input[] | undefined): Raw[] {
  if (!Array.isArray(actions) || actions.length === 0) throw awsError('ValidationError', 'At least one action is required.');
  const terminal = actions.filter((a) => !UNSUPPORTED_ACTIONS.has(String(a.Type)));
  if (terminal.length !== actions.length) {
    const t = actions.find((a) => UNSUPPORTED_ACTIONS.has(String(a.Type)))!.Type;
    throw awsError('InvalidLoadBalancerAction', `The action type '${t}' is not supported by shoal (authentication actions need an identity provider it does not run).`);
  }
  if (actions.length > 1) throw awsError('TooManyActions', 'shoal supports one action per rule or listener (forward, redirect or fixed-response).');
  return [actionIn(r, actions[0]!)];
}

function actionIn(r: Resolver, a: Input): Raw {
  switch (a.Type) {
    case 'forward': {
      const fc = a.ForwardConfig as Input | undefined;
      if (fc?.TargetGroups?.length > 0) {
        const sticky = fc!.TargetGroupStickinessConfig as Input | undefined;
        return {
          type: 'forward',
          forwardConfig: {
            targetGroups: (fc!.TargetGroups as Input[]).map((g) => ({ targetGroup: r.targetGroup(g.TargetGroupArn).spec.name, weight: g.Weight ?? 1 })),
            ...(sticky ? { targetGroupStickinessConfig: { enabled: sticky.Enabled === true, ...(sticky.DurationSeconds ? { durationSeconds: sticky.DurationSeconds } : {}) } } : {}),
          },
        };
      }
      if (a.TargetGroupArn === undefined) throw awsError('ValidationError', 'A forward action needs a TargetGroupArn or a ForwardConfig.');
      return { type: 'forward', targetGroup: r.targetGroup(a.TargetGroupArn).spec.name };
    }
    case 'redirect': {
      const c = (a.RedirectConfig ?? {}) as Input;
      return { type: 'redirect', redirectConfig: defined({ protocol: c.Protocol, port: c.Port, host: c.Host, path: c.Path, query: c.Query, statusCode: c.StatusCode }) };
    }
    case 'fixed-response': {
      const c = (a.FixedResponseConfig ?? {}) as Input;
      return { type: 'fixed-response', fixedResponseConfig: defined({ statusCode: c.StatusCode, contentType: c.ContentType, messageBody: c.MessageBody }) };
    }
    default:
      throw awsError('ValidationError', `Unknown action type '${String(a.Type)}'.`);
  }
}

export function actionsOut(r: Resolver, actions: readonly Action[]): Raw[] {
  return actions.map((a, i) => ({ ...actionOut(r, a), Order: i + 1 }));
}

function actionOut(r: Resolver, a: Action): Raw {
  if (a.type === 'redirect') {
    const c = a.redirectConfig;
    return { Type: 'redirect', RedirectConfig: { Protocol: c.protocol, Port: c.port, Host: c.host, Path: c.path, Query: c.query, StatusCode: c.statusCode } };
  }
  if (a.type === 'fixed-response') {
    const c = a.fixedResponseConfig;
    return { Type: 'fixed-response', FixedResponseConfig: { MessageBody: c.messageBody, StatusCode: c.statusCode, ContentType: c.contentType } };
  }
  const groups = a.targetGroups.map((g) => ({ TargetGroupArn: r.tgArnOf(g.targetGroup), Weight: g.weight }));
  const st = a.targetGroupStickiness;
  return {
    Type: 'forward',
    ...(groups.length === 1 ? { TargetGroupArn: groups[0]!.TargetGroupArn } : {}),
    ForwardConfig: {
      TargetGroups: groups,
      TargetGroupStickinessConfig: st ? { Enabled: st.enabled, DurationSeconds: st.durationSeconds } : { Enabled: false },
    },
  };
}

const CONFIG_KEYS: Record<string, string> = {
  'path-pattern': 'PathPatternConfig',
  'host-header': 'HostHeaderConfig',
  'http-header': 'HttpHeaderConfig',
  'http-request-method': 'HttpRequestMethodConfig',
  'query-string': 'QueryStringConfig',
  'source-ip': 'SourceIpConfig',
};

export function conditionsIn(conditions: Input[] | undefined): Raw[] {
  if (!Array.isArray(conditions) || conditions.length === 0) throw awsError('ValidationError', 'A rule needs at least one condition.');
  return conditions.map((c) => {
    const field = String(c.Field);
    const sub = c[CONFIG_KEYS[field] ?? ''] as Input | undefined;
    if (sub?.RegexValues !== undefined || c.RegexValues !== undefined) throw awsError('ValidationError', 'Regular-expression conditions are not supported by shoal; use wildcards (* and ?).');
    if (field === 'query-string') {
      const kv = (sub?.Values ?? []) as Input[];
      return { field, queryStringValues: kv.map((p) => defined({ key: p.Key, value: p.Value })) };
    }
    const values = (sub?.Values ?? c.Values ?? []) as string[];
    return field === 'http-header' ? { field, httpHeaderName: sub?.HttpHeaderName, values } : { field, values };
  });
}

export function conditionsOut(conditions: readonly Condition[]): Raw[] {
  return conditions.map((c) => {
    const key = CONFIG_KEYS[c.field]!;
    if (c.field === 'query-string') return { Field: c.field, QueryStringConfig: { Values: (c.queryStringValues ?? []).map((kv) => defined({ Key: kv.key, Value: kv.value })) } };
    if (c.field === 'http-header') return { Field: c.field, HttpHeaderConfig: { HttpHeaderName: c.httpHeaderName, Values: c.values } };
    const plain = c.field === 'path-pattern' || c.field === 'host-header' ? { Values: c.values } : {};
    return { Field: c.field, ...plain, [key]: { Values: c.values } };
  });
}

function defined(o: Raw): Raw {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
