/** Which launch template a group launches with: the refresh's while one runs, else the group's own. */
import type { LaunchTemplateSpecification, LaunchTemplateVersionRef } from '../../../model/auto-scaling.js';
import type { GroupState } from '../types.js';
import { activeRefresh } from './types.js';

export interface TemplateChoice {
  name: string;
  version: LaunchTemplateVersionRef | string;
}

/** The config's launchTemplate as text, to tell when the file changed it. */
export function configuredKey(spec: LaunchTemplateSpecification): string {
  return `${spec.name}@${String(spec.version)}`;
}

export function effectiveTemplate(s: GroupState, spec: LaunchTemplateSpecification): TemplateChoice {
  const r = activeRefresh(s);
  if (r?.status === 'RollbackInProgress') return { name: r.previous.name, version: r.previous.version };
  if (r?.desiredConfiguration) return { name: r.target.name, version: r.target.version };
  if (s.launchTemplate && s.launchTemplate.configured === configuredKey(spec)) return { name: s.launchTemplate.name, version: s.launchTemplate.version };
  return { name: spec.name, version: spec.version };
}
