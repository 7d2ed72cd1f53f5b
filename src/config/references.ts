/**
 * Checks that span items: unique names, unique listener ports and rule
 * priorities, and references (target groups, launch templates) that must
 * exist. Runs on the raw YAML data, not the schema's output, so these issues
 * are reported together with schema issues even when the schema failed:
 * every read is defensive and skips what is not the expected shape.
 */
import { parseHostPort } from './schema.js';
import type { IssuePath, RawIssue } from './issues.js';
import { suggest } from './suggest.js';
import { checkScalingReferences } from './references-scaling.js';
import { checkApiExposure } from './references-api.js';
import { checkListenerGroupProtocols } from './references-network.js';
import { checkEcsReferences } from './references-ecs.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const items = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function checkReferences(data: unknown): RawIssue[] {
  if (!isObj(data)) return [];
  const issues: RawIssue[] = [];
  const tgNames = uniqueNames(data, 'targetGroups', 'target group', issues);
  uniqueNames(data, 'loadBalancers', 'load balancer', issues);
  uniqueNames(data, 'launchTemplates', 'launch template', issues);
  uniqueNames(data, 'autoScalingGroups', 'Auto Scaling group', issues);
  uniqueNames(data, 'zones', 'zone', issues);
  checkListeners(data, tgNames, issues);
  checkAutoScalingGroups(data, tgNames, issues);
  checkScalingReferences(data, issues);
  checkApiExposure(data, issues);
  checkListenerGroupProtocols(data, issues);
  checkEcsReferences(data, tgNames, issues);
  return issues;
}

/** Names of a list's items; a repeated name is an issue at the repeat. */
function uniqueNames(data: Obj, list: string, noun: string, issues: RawIssue[]): Set<string> {
  const seen = new Map<string, number>();
  items(data[list]).forEach((item, i) => {
    const name = isObj(item) ? text(item.name) : undefined;
    if (name === undefined) return;
    const first = seen.get(name);
    if (first !== undefined) {
      issues.push({ path: [list, i, 'name'], message: `${noun} "${name}" is already defined at ${list}[${first}]; names must be unique` });
    } else {
      seen.set(name, i);
    }
  });
  return new Set(seen.keys());
}

function missingMessage(noun: string, name: string, defined: Set<string>, list: string): string {
  const hint = suggest(name, [...defined]);
  const known = defined.size > 0 ? `defined ${noun}s: ${[...defined].join(', ')}` : `no ${noun}s are defined under ${list}`;
  return `${noun} "${name}" is not defined${hint ? ` (did you mean "${hint}"?)` : ''}; ${known}`;
}

/** Ports are unique per address; a wildcard address (0.0.0.0, ::) takes the port on every address. */
function checkListeners(data: Obj, tgNames: Set<string>, issues: RawIssue[]): void {
  const taken: { address: string; port: number; where: string }[] = [];
  const api = parseHostPort(isObj(data.api) && data.api.listen !== undefined ? data.api.listen : '127.0.0.1:4566');
  if (api) taken.push({ address: api.host === 'localhost' ? '127.0.0.1' : api.host, port: api.port, where: 'api.listen' });
  items(data.loadBalancers).forEach((lb, l) => {
    if (!isObj(lb)) return;
    const address = lb.bindAddress === undefined ? '127.0.0.1' : text(lb.bindAddress);
    items(lb.listeners).forEach((listener, n) => {
      if (!isObj(listener)) return;
      const path: IssuePath = ['loadBalancers', l, 'listeners', n];
      const port = listener.port;
      if (address !== undefined && typeof port === 'number') {
        const clash = taken.find((t) => t.port === port && overlaps(t.address, address));
        if (clash) {
          issues.push({ path: [...path, 'port'], message: `port ${port} on ${address} is already used by ${clash.where}; each address:port may have one listener` });
        } else {
          taken.push({ address, port, where: `loadBalancers[${l}].listeners[${n}]` });
        }
      }
      checkActions(listener.defaultActions, [...path, 'defaultActions'], tgNames, issues);
      checkRules(listener.rules, [...path, 'rules'], tgNames, issues);
    });
  });
}

function overlaps(a: string, b: string): boolean {
  const wildcard = (x: string) => x === '0.0.0.0' || x === '::';
  return a === b || wildcard(a) || wildcard(b);
}

function checkRules(rules: unknown, path: IssuePath, tgNames: Set<string>, issues: RawIssue[]): void {
  const seen = new Map<number, number>();
  items(rules).forEach((rule, r) => {
    if (!isObj(rule)) return;
    if (typeof rule.priority === 'number') {
      const first = seen.get(rule.priority);
      if (first !== undefined) {
        issues.push({ path: [...path, r, 'priority'], message: `priority ${rule.priority} is already used by rules[${first}]; priorities must be unique per listener` });
      } else {
        seen.set(rule.priority, r);
      }
    }
    checkActions(rule.actions, [...path, r, 'actions'], tgNames, issues);
  });
}

function checkActions(actions: unknown, path: IssuePath, tgNames: Set<string>, issues: RawIssue[]): void {
  items(actions).forEach((action, a) => {
    if (!isObj(action) || action.type !== 'forward') return;
    const ref = (name: unknown, at: IssuePath) => {
      const n = text(name);
      if (n !== undefined && !tgNames.has(n)) issues.push({ path: at, message: missingMessage('target group', n, tgNames, 'targetGroups') });
    };
    ref(action.targetGroup, [...path, a, 'targetGroup']);
    const weighted = isObj(action.forwardConfig) ? action.forwardConfig.targetGroups : undefined;
    items(weighted).forEach((g, i) => {
      if (isObj(g)) ref(g.targetGroup, [...path, a, 'forwardConfig', 'targetGroups', i, 'targetGroup']);
    });
  });
}

function checkAutoScalingGroups(data: Obj, tgNames: Set<string>, issues: RawIssue[]): void {
  const templates = new Map<string, number>();
  for (const lt of items(data.launchTemplates)) {
    const name = isObj(lt) ? text(lt.name) : undefined;
    if (name !== undefined && !templates.has(name)) templates.set(name, isObj(lt) ? items(lt.versions).length : 0);
  }
  items(data.autoScalingGroups).forEach((asg, g) => {
    if (!isObj(asg)) return;
    const path: IssuePath = ['autoScalingGroups', g];
    items(asg.targetGroups).forEach((tg, i) => {
      const n = text(tg);
      if (n !== undefined && !tgNames.has(n)) issues.push({ path: [...path, 'targetGroups', i], message: missingMessage('target group', n, tgNames, 'targetGroups') });
    });
    checkLaunchTemplateRef(asg.launchTemplate, [...path, 'launchTemplate'], templates, issues);
    const policyNames = new Map<string, number>();
    items(asg.scalingPolicies).forEach((p, i) => {
      const n = isObj(p) ? text(p.name) : undefined;
      if (n === undefined) return;
      const first = policyNames.get(n);
      if (first !== undefined) {
        issues.push({ path: [...path, 'scalingPolicies', i, 'name'], message: `scaling policy "${n}" is already scalingPolicies[${first}]; names must be unique per group` });
      } else {
        policyNames.set(n, i);
      }
    });
  });
}

function checkLaunchTemplateRef(ref: unknown, path: IssuePath, templates: Map<string, number>, issues: RawIssue[]): void {
  if (!isObj(ref)) return;
  const name = text(ref.name);
  if (name === undefined) return;
  const versions = templates.get(name);
  if (versions === undefined) {
    issues.push({ path: [...path, 'name'], message: missingMessage('launch template', name, new Set(templates.keys()), 'launchTemplates') });
    return;
  }
  const v = typeof ref.version === 'string' && /^\d+$/.test(ref.version) ? Number(ref.version) : ref.version;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && versions > 0 && v > versions) {
    issues.push({ path: [...path, 'version'], message: `launch template "${name}" has versions 1 to ${versions} (got ${v}); use a version that exists, $Latest or $Default` });
  }
}
