/**
 * elbv2 listener operations: a listener is part of its load balancer's spec
 * (the config's loadBalancers[].listeners), so each change is one versioned
 * update of the load balancer record; its id lives in the record's meta.
 */
import { randomBytes } from 'node:crypto';
import { awsError, page, required, type Input, type Operations, type Output } from '../common/op.js';
import { actionsIn, actionsOut } from './actions.js';
import { certificatesIn, certificatesOut } from './certificates.js';
import type { Elbv2Deps } from './deps.js';
import { modelErrors } from './errors.js';
import { checkListener, defaultListenerProtocol, forwardedNames } from './listener-checks.js';
import { Resolver, type LbRef, type ListenerRef } from './resolve.js';

type Raw = Record<string, unknown>;

export function listenerOps(d: Elbv2Deps): Operations {
  return {
    async CreateListener(input, ctx) {
      const r = new Resolver(d, ctx.region);
      const lb = r.loadBalancer(required(input, 'LoadBalancerArn'));
      const port = required<number>(input, 'Port');
      if (lb.spec.listeners.some((l) => l.port === port)) throw awsError('DuplicateListener', 'A listener already exists on this port for this load balancer');
      const raw: Raw = { port, protocol: input.Protocol ?? defaultListenerProtocol(lb.spec.type), defaultActions: actionsIn(r, required(input, 'DefaultActions')), ...tlsIn(input) };
      check(r, lb, raw);
      await modelErrors(() => d.model.update('loadBalancers', lb.spec.name, (x) => ({ ...x, listeners: [...((x.listeners as Raw[] | undefined) ?? []), raw] }), lb.rec.version));
      d.model.annotate('loadBalancers', lb.spec.name, (x) => ({ ...x, meta: { ...x.meta, listenerIds: { ...(x.meta?.listenerIds as Raw), [String(port)]: newId() } } }));
      const l = r.listeners(r.loadBalancer(lb.arn)).find((x) => x.listener.port === port)!;
      return { Listeners: [describe(r, l)] };
    },

    DescribeListeners(input, ctx) {
      const r = new Resolver(d, ctx.region);
      let all: ListenerRef[];
      if (input.ListenerArns !== undefined) all = (input.ListenerArns as string[]).map((a) => r.listener(a));
      else if (input.LoadBalancerArn !== undefined) all = r.listeners(r.loadBalancer(input.LoadBalancerArn));
      else throw awsError('ValidationError', 'You must specify either listener ARNs or a load balancer ARN');
      const p = page(all, input.Marker, input.PageSize);
      return { Listeners: p.items.map((l) => describe(r, l)), ...(p.next ? { NextMarker: p.next } : {}) };
    },

    async ModifyListener(input, ctx) {
      const r = new Resolver(d, ctx.region);
      const l = r.listener(required(input, 'ListenerArn'));
      const port = input.Port as number | undefined;
      if (port !== undefined && port !== l.listener.port && l.lb.spec.listeners.some((x) => x.port === port)) {
        throw awsError('DuplicateListener', 'A listener already exists on this port for this load balancer');
      }
      const actions = input.DefaultActions === undefined ? undefined : actionsIn(r, input.DefaultActions);
      const tls = tlsIn(input);
      check(r, l.lb, {
        protocol: input.Protocol ?? l.listener.protocol,
        certificates: 'certificates' in tls ? tls.certificates : l.listener.certificates,
        defaultActions: actions ?? l.listener.defaultActions.map((a) => (a.type === 'forward' ? { type: 'forward', forwardConfig: { targetGroups: a.targetGroups } } : a)),
      });
      await modelErrors(() => d.model.update('loadBalancers', l.lb.spec.name, (x) => {
        const listeners = [...(x.listeners as Raw[])];
        listeners[l.index] = { ...listeners[l.index], ...(port !== undefined ? { port } : {}), ...(input.Protocol ? { protocol: input.Protocol } : {}), ...(actions ? { defaultActions: actions } : {}), ...tls };
        return { ...x, listeners };
      }, l.lb.rec.version));
      const finalPort = port ?? l.listener.port;
      if (finalPort !== l.listener.port) moveIds(d, l, finalPort);
      const now = r.listeners(r.loadBalancer(l.lb.arn)).find((x) => x.listener.port === finalPort)!;
      return { Listeners: [describe(r, now)] };
    },

    async DeleteListener(input, ctx) {
      const r = new Resolver(d, ctx.region);
      const l = r.listener(required(input, 'ListenerArn'));
      await modelErrors(() => d.model.update('loadBalancers', l.lb.spec.name, (x) => ({ ...x, listeners: (x.listeners as Raw[]).filter((_, i) => i !== l.index) }), l.lb.rec.version));
      return {};
    },
  };
}

/** AWS's protocol checks (listener-checks.ts) on a listener in config form. */
function check(r: Resolver, lb: LbRef, raw: Raw): void {
  const forwards = forwardedNames(raw.defaultActions as Raw[]).map((name) => {
    const arn = r.tgArnOf(name);
    return { arn, protocol: r.targetGroup(arn).spec.protocol };
  });
  checkListener({ type: lb.spec.type, protocol: String(raw.protocol), hasCertificates: raw.certificates !== undefined, forwards });
}

export function newId(): string {
  return randomBytes(8).toString('hex');
}

/** A listener moved to another port keeps its id and its rules' ids. */
function moveIds(d: Elbv2Deps, l: ListenerRef, port: number): void {
  d.model.annotate('loadBalancers', l.lb.spec.name, (x) => {
    const listenerIds = { ...(x.meta?.listenerIds as Record<string, string>), [String(port)]: l.id };
    delete listenerIds[String(l.listener.port)];
    const ruleIds: Record<string, string> = {};
    for (const [k, v] of Object.entries((x.meta?.ruleIds as Record<string, string> | undefined) ?? {})) {
      const [p, prio] = k.split('/');
      ruleIds[p === String(l.listener.port) ? `${port}/${prio}` : k] = v;
    }
    return { ...x, meta: { ...x.meta, listenerIds, ruleIds } };
  });
}

function describe(r: Resolver, l: ListenerRef): Output {
  return {
    ListenerArn: l.arn,
    LoadBalancerArn: l.lb.arn,
    Port: l.listener.port,
    Protocol: l.listener.protocol,
    DefaultActions: actionsOut(r, l.listener.defaultActions),
    Certificates: certificatesOut(l.listener.certificates),
    SslPolicy: l.listener.sslPolicy,
    AlpnPolicy: l.listener.alpnPolicy === undefined ? undefined : [l.listener.alpnPolicy],
  };
}

/** Certificates, SslPolicy and AlpnPolicy onto the listener's config form (only those given). */
function tlsIn(input: Input): Raw {
  const out: Raw = {};
  const certs = certificatesIn(input.Certificates);
  if (certs !== undefined) out.certificates = certs;
  if (input.SslPolicy !== undefined) out.sslPolicy = input.SslPolicy;
  const alpn = input.AlpnPolicy as string[] | undefined;
  if (alpn !== undefined) out.alpnPolicy = alpn[0];
  return out;
}
