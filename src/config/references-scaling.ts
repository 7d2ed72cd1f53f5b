/**
 * Cross-checks for alarms and scheduled actions (references.ts calls this,
 * on the raw YAML data, defensively): alarm names are unique, alarm actions
 * name groups and policies that exist, scheduled action names are unique per
 * group.
 */
import { parseAlarmAction } from './schema-alarms.js';
import type { IssuePath, RawIssue } from './issues.js';
import { suggest } from './suggest.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const items = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function checkScalingReferences(data: Obj, issues: RawIssue[]): void {
  const policies = new Map<string, string[]>();
  items(data.autoScalingGroups).forEach((g, i) => {
    if (!isObj(g)) return;
    const name = text(g.name);
    if (name !== undefined) policies.set(name, items(g.scalingPolicies).map((p) => (isObj(p) ? text(p.name) : undefined)).filter((n): n is string => n !== undefined));
    unique(items(g.scheduledActions), 'scheduledActionName', ['autoScalingGroups', i, 'scheduledActions'], 'scheduled action', issues);
  });
  unique(items(data.alarms), 'alarmName', ['alarms'], 'alarm', issues);
  items(data.alarms).forEach((a, i) => {
    if (!isObj(a)) return;
    for (const list of ['alarmActions', 'okActions', 'insufficientDataActions']) {
      items(a[list]).forEach((raw, k) => {
        const action = parseAlarmAction(raw);
        if (action?.type !== 'scalingPolicy') return;
        const at: IssuePath = ['alarms', i, list, k];
        const known = policies.get(action.autoScalingGroup);
        if (!known) {
          const hint = suggest(action.autoScalingGroup, [...policies.keys()]);
          issues.push({ path: at, message: `Auto Scaling group "${action.autoScalingGroup}" is not defined${hint ? ` (did you mean "${hint}"?)` : ''}; defined groups: ${[...policies.keys()].join(', ') || 'none'}` });
        } else if (!known.includes(action.policy)) {
          const hint = suggest(action.policy, known);
          issues.push({ path: at, message: `scaling policy "${action.policy}" is not defined in group ${action.autoScalingGroup}${hint ? ` (did you mean "${hint}"?)` : ''}; its policies: ${known.join(', ') || 'none'}` });
        }
      });
    }
  });
}

function unique(list: unknown[], key: string, path: IssuePath, noun: string, issues: RawIssue[]): void {
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    const n = isObj(item) ? text(item[key]) : undefined;
    if (n === undefined) return;
    const first = seen.get(n);
    if (first !== undefined) issues.push({ path: [...path, i, key], message: `${noun} "${n}" is already defined at ${path[path.length - 1]}[${first}]; names must be unique` });
    else seen.set(n, i);
  });
}
